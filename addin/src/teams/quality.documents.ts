import { graphql } from '../shared/graphql/generated/index.js';

export const EvaluationFieldsFragment = graphql(`
  fragment EvaluationFields on NoteEvaluation {
    id
    summary
    givenAt
    proFormaName
    givenBy {
      id
      name
    }
    scores {
      criterionKey
      criterion
      score
      scoreLabel
      comment
    }
    scale {
      score
      label
    }
  }
`);

export const QualityManagerQuery = graphql(`
  query QualityManager($academicYear: String!) {
    qualityProForma {
      id
      name
      saved
      criteria {
        key
        label
        guidance
      }
      scale {
        score
        label
      }
    }
    noteSamples(academicYear: $academicYear) {
      id
      seed
      perPartner
      drawnAt
      drawnBy {
        id
        name
      }
      members {
        id
        visitType
        partner {
          id
          name
        }
        note {
          id
          visit {
            id
            startsAt
            school {
              id
              name
            }
          }
        }
        evaluation {
          ...EvaluationFields
        }
      }
    }
    noteQualityReport(academicYear: $academicYear) {
      partner {
        id
        name
      }
      notesCirculated
      notesSampled
      evaluationsGiven
      lastFeedbackAt
      feedbackThisYear
    }
  }
`);

export const MyNoteEvaluationsQuery = graphql(`
  query MyNoteEvaluations {
    myNoteEvaluations {
      ...EvaluationFields
      note {
        id
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
  }
`);

export const DrawNoteSampleMutation = graphql(`
  mutation DrawNoteSample($input: DrawNoteSampleInput!) {
    drawNoteSample(input: $input) {
      id
      seed
    }
  }
`);

export const EvaluateSampledNoteMutation = graphql(`
  mutation EvaluateSampledNote($input: EvaluateSampledNoteInput!) {
    evaluateSampledNote(input: $input) {
      id
    }
  }
`);
