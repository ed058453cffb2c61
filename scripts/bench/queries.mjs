/**
 * The requests the benchmark sends. api/test/query-count.test.ts sends the same ones
 * and counts their SQL statements, so the suite guards what the benchmark measures.
 */

export const PARTNER_VISITS = /* GraphQL */ `
  query PartnerVisits($first: Int!) {
    visits(first: $first) {
      totalCount
      pageInfo {
        hasNextPage
      }
      nodes {
        id
        startsAt
        type
        status
        school {
          name
          dfeNumber
        }
        agenda {
          position
          title
        }
        note {
          status
        }
      }
    }
  }
`;

export const FULL_NOTE = /* GraphQL */ `
  query FullNote($id: ID!) {
    note(id: $id) {
      id
      status
      version
      purpose
      summary
      draftDueOn
      circulationDueOn
      sharedAt
      circulatedAt
      visit {
        startsAt
        type
        school {
          name
          dfeNumber
        }
      }
      author {
        name
      }
      judgements {
        area
        schoolGrade
        partnerGrade
        insufficientEvidence
        evidenceBasis
        disagreementReason
        commentary
      }
      findings {
        position
        area
        text
        evidenceBasis
      }
      recommendations {
        position
        action
        successMeasure
        ownerRole
        ownerInitials
        dueOn
        status
      }
      reviews {
        progress
        comment
        recommendation {
          action
          dueOn
          status
        }
      }
      distribution {
        position
        role
        name
      }
    }
  }
`;

export const OVERDUE_REPORT = /* GraphQL */ `
  query OverdueReport($laCode: Int!) {
    overdueNotes(laCode: $laCode) {
      partner {
        name
        email
      }
      lateDrafts
      lateCirculations
      notes {
        id
        status
        draftDueOn
        circulationDueOn
        visit {
          startsAt
          school {
            name
            dfeNumber
          }
        }
      }
    }
  }
`;

export const UPDATE_NOTE = /* GraphQL */ `
  mutation UpdateNote($id: ID!, $expectedVersion: Int!, $summary: String!) {
    updateNote(id: $id, expectedVersion: $expectedVersion, input: { summary: $summary }) {
      id
      version
      summary
    }
  }
`;

export const TYPENAME = '{ __typename }';
