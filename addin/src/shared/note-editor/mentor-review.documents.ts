import { graphql } from '../graphql/generated/index.js';

export const MentorReviewFieldsFragment = graphql(`
  fragment MentorReviewFields on MentorReview {
    required
    status
    requestedAt
    releasedAt
    mentor {
      id
      name
    }
    releasedBy {
      id
      name
    }
    comments {
      id
      kind
      comment
      createdAt
      author {
        id
        name
      }
    }
  }
`);

export const NoteMentorReviewQuery = graphql(`
  query NoteMentorReview($noteId: ID!) {
    mentorReview(noteId: $noteId) {
      ...MentorReviewFields
    }
  }
`);

/** The mentor's reading of a mentee's note: the note, its author and its visit (the mentor may not see the visit itself). */
export const NoteForMentorQuery = graphql(`
  query NoteForMentor($id: ID!) {
    me {
      id
      role
    }
    note(id: $id) {
      ...NoteFields
      author {
        id
        name
      }
      visit {
        id
        type
        startsAt
        school {
          id
          name
        }
      }
    }
  }
`);

export const NotesAwaitingMyReviewQuery = graphql(`
  query NotesAwaitingMyReview {
    notesAwaitingMyReview {
      id
      author {
        id
        name
      }
      visit {
        id
        type
        startsAt
        school {
          id
          name
        }
      }
    }
  }
`);

export const RequestMentorReviewMutation = graphql(`
  mutation RequestMentorReview($noteId: ID!, $expectedVersion: Int!) {
    requestMentorReview(noteId: $noteId, expectedVersion: $expectedVersion) {
      ...NoteFields
    }
  }
`);

export const CommentOnFirstNoteMutation = graphql(`
  mutation CommentOnFirstNote($noteId: ID!, $comment: String!) {
    commentOnFirstNote(noteId: $noteId, comment: $comment) {
      id
      version
    }
  }
`);

export const ReleaseNoteMutation = graphql(`
  mutation ReleaseNote($noteId: ID!, $comment: String) {
    releaseNote(noteId: $noteId, comment: $comment) {
      id
      version
    }
  }
`);
