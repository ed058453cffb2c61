import { graphql } from '../shared/graphql/generated/index.js';

export const MeQuery = graphql(`
  query TeamsMe($academicYear: String!) {
    me {
      id
      name
      email
      role
      allocations(academicYear: $academicYear) {
        school {
          id
          name
        }
      }
    }
    termCalendar(academicYear: $academicYear) {
      terms {
        name
        startsOn
        endsOn
      }
    }
  }
`);

export const MyVisitsQuery = graphql(`
  query MyVisits($filter: VisitFilter!) {
    visits(filter: $filter, first: 100) {
      totalCount
      nodes {
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
        }
        note {
          id
          status
          overdue
          draftDueOn
          circulationDueOn
        }
      }
    }
  }
`);

export const TeamQuery = graphql(`
  query TeamOverview($academicYear: String!) {
    overdueNotes {
      partner {
        id
        name
      }
      lateDrafts
      lateCirculations
      notes {
        id
        status
        draftDueOn
        circulationDueOn
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
    disputedNotes {
      id
      headteacherComment
      headteacherRespondedAt
      author {
        name
      }
      judgements {
        id
        area
        schoolGrade
        partnerGrade
        insufficientEvidence
        disagreementReason
        headteacherComment
      }
      responses {
        id
        recordedVia
        reason
        respondent
      }
      visit {
        id
        startsAt
        type
        school {
          id
          name
        }
      }
    }
    allocationUsageReport(academicYear: $academicYear) {
      id
      days
      daysSpent
      daysRemaining
      school {
        id
        name
      }
      partner {
        id
        name
      }
    }
  }
`);
