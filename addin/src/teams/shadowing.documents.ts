import { graphql } from '../shared/graphql/generated/index.js';

export const ShadowingsQuery = graphql(`
  query Shadowings {
    shadowings {
      id
      version
      state
      late
      feedbackDueOn
      feedback
      feedbackGivenAt
      shadowedPartner {
        id
        name
      }
      shadower {
        id
        name
      }
      visit {
        id
        startsAt
        school {
          id
          name
        }
      }
    }
  }
`);

export const ShadowingDueQuery = graphql(`
  query ShadowingDue {
    shadowingDue {
      partner {
        id
        name
      }
      lastShadowedOn
      nextDueBy
      overdue
      nextBookedOn
      feedbackOutstanding
      feedbackLate
    }
  }
`);

export const GiveShadowingFeedbackMutation = graphql(`
  mutation GiveShadowingFeedback($id: ID!, $feedback: String!, $expectedVersion: Int) {
    giveShadowingFeedback(id: $id, feedback: $feedback, expectedVersion: $expectedVersion) {
      id
      version
      state
      late
      feedback
      feedbackGivenAt
    }
  }
`);

export const PartnerSchoolsQuery = graphql(`
  query PartnerSchools($academicYear: String!) {
    partners(first: 100, filter: { active: true }) {
      nodes {
        id
        name
        role
        allocations(academicYear: $academicYear) {
          school {
            id
            name
          }
        }
      }
    }
  }
`);

export const RequestHeadteacherFeedbackMutation = graphql(`
  mutation RequestHeadteacherFeedback($schoolId: ID!, $partnerId: ID) {
    requestHeadteacherFeedback(schoolId: $schoolId, partnerId: $partnerId) {
      id
      recipientEmail
      expiresAt
    }
  }
`);

export const HeadteacherFeedbackQuery = graphql(`
  query HeadteacherFeedbackOnPartner($partnerId: ID!) {
    headteacherFeedback(partnerId: $partnerId) {
      id
      receivedAt
      respondent
      challengeAndSupport
      knowledgeOfSchool
      qualityOfNotes
      communication
      comments
      school {
        id
        name
      }
    }
  }
`);

export const ShadowableVisitsQuery = graphql(`
  query ShadowableVisits($filter: VisitFilter!) {
    visits(filter: $filter, first: 50) {
      nodes {
        id
        startsAt
        type
        school {
          id
          name
        }
      }
    }
  }
`);

export const ShadowVisitMutation = graphql(`
  mutation ShadowVisit($visitId: ID!, $shadowerId: ID!) {
    shadowVisit(visitId: $visitId, shadowerId: $shadowerId) {
      id
      feedbackDueOn
    }
  }
`);
