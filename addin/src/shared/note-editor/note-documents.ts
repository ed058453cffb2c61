import { graphql } from '../graphql/generated/index.js';

export const NoteFieldsFragment = graphql(`
  fragment NoteFields on NoteOfVisit {
    id
    version
    status
    purpose
    summary
    draftDueOn
    circulationDueOn
    overdue
    sharedAt
    circulatedAt
    headteacherAgreed
    headteacherComment
    headteacherRespondedAt
    moderationDecision
    moderationComment
    moderatedAt
    recommendationLimitOverrideReason
    revision
    correctionReason
    firstCirculatedAt
    revisions {
      id
      revision
      circulatedAt
      correctionReason
    }
    responses {
      id
      revision
      agreed
      comment
      respondent
      recordedVia
      reason
      respondedAt
      judgementComments {
        area
        comment
      }
    }
    docxUrl
    updatedAt
    judgements {
      id
      area
      schoolGrade
      partnerGrade
      insufficientEvidence
      evidenceBasis
      disagreementReason
      commentary
      headteacherComment
    }
    findings {
      id
      position
      area
      evidenceBasis
      text
    }
    recommendations {
      id
      position
      action
      successMeasure
      ownerRole
      ownerInitials
      dueOn
      status
    }
    reviews {
      id
      progress
      comment
      recommendation {
        id
        action
        successMeasure
        ownerRole
        dueOn
      }
    }
    targets {
      id
      position
      keyStage
      measure
      value
      year
    }
    distribution {
      id
      position
      role
      name
      email
    }
  }
`);

export const NoteEditorVisitQuery = graphql(`
  query NoteEditorVisit($id: ID!) {
    me {
      id
      role
    }
    visit(id: $id) {
      id
      type
      startsAt
      status
      expectsNote
      noteDraftDueOn
      noteCirculationDueOn
      school {
        id
        name
        dfeNumber
        headteacher {
          name
          email
        }
        chairOfGovernors {
          name
          email
        }
      }
      note {
        ...NoteFields
      }
    }
  }
`);

export const NoteByIdQuery = graphql(`
  query NoteById($id: ID!) {
    note(id: $id) {
      ...NoteFields
    }
  }
`);

export const StartNoteMutation = graphql(`
  mutation StartNote($visitId: ID!) {
    startNote(visitId: $visitId) {
      ...NoteFields
    }
  }
`);

export const UpdateNoteMutation = graphql(`
  mutation UpdateNote($id: ID!, $expectedVersion: Int!, $input: UpdateNoteInput!) {
    updateNote(id: $id, expectedVersion: $expectedVersion, input: $input) {
      ...NoteFields
    }
  }
`);

export const ShareNoteMutation = graphql(`
  mutation ShareNote($id: ID!, $expectedVersion: Int!) {
    shareNote(id: $id, expectedVersion: $expectedVersion) {
      ...NoteFields
    }
  }
`);

export const RecordResponseMutation = graphql(`
  mutation RecordHeadteacherResponse($id: ID!, $agreed: Boolean!, $comment: String, $reason: String!, $judgementComments: [JudgementCommentInput!]) {
    recordHeadteacherResponse(id: $id, agreed: $agreed, comment: $comment, reason: $reason, judgementComments: $judgementComments) {
      ...NoteFields
    }
  }
`);

export const CirculateNoteMutation = graphql(`
  mutation CirculateNote($id: ID!, $expectedVersion: Int!) {
    circulateNote(id: $id, expectedVersion: $expectedVersion) {
      ...NoteFields
    }
  }
`);

export const ModerateNoteMutation = graphql(`
  mutation ModerateNote($id: ID!, $decision: ModerationDecision!, $comment: String!) {
    moderateNote(id: $id, decision: $decision, comment: $comment) {
      ...NoteFields
    }
  }
`);
