import { graphql } from '../shared/graphql/generated/index.js';

/** The school's page: the register's details (anyone signed in may read them). */
export const SchoolDetailsQuery = graphql(`
  query SchoolDetails($id: ID!) {
    school(id: $id) {
      id
      name
      urn
      dfeNumber
      phase
      type
      establishmentTypeName
      district
      status
      lastOfstedGrade
      lastOfstedDate
      address {
        oneLine
      }
      headteacher {
        name
      }
      chairOfGovernors {
        name
      }
    }
  }
`);

/** The school's records: who may read them follows the notes' rules, so they are asked for apart from its details. */
export const SchoolRecordsQuery = graphql(`
  query SchoolRecords($id: ID!, $academicYear: String!) {
    school(id: $id) {
      id
      allocations(academicYear: $academicYear) {
        id
        days
        daysSpent
        daysRemaining
        partner {
          id
          name
        }
      }
      judgementHistory {
        noteId
        visitId
        visitDate
        visitType
        area
        partnerGrade
        schoolGrade
        insufficientEvidence
      }
      recommendations {
        id
        noteId
        noteStatus
        visitId
        visitDate
        position
        action
        successMeasure
        ownerRole
        ownerInitials
        dueOn
        status
        reviews {
          noteId
          noteStatus
          visitId
          visitDate
          progress
          comment
        }
      }
    }
  }
`);

/** A page of visits with what a partner's term shows of each (the visit list's read view serves every field: api/test/fast-path.test.ts). */
export const VisitPageQuery = graphql(`
  query VisitPage($filter: VisitFilter!, $after: String) {
    visits(filter: $filter, first: 100, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        type
        status
        startsAt
        endsAt
        cancellationReason
        expectsNote
        noteDraftDueOn
        school {
          id
          name
        }
        note {
          id
          status
          overdue
        }
      }
    }
  }
`);

/** A page of a school's visits, with each one's lead partner (which the visit list's read view does not serve: the school's page is a cold read). */
export const SchoolVisitsQuery = graphql(`
  query SchoolVisits($filter: VisitFilter!, $after: String) {
    visits(filter: $filter, first: 100, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        type
        status
        startsAt
        endsAt
        cancellationReason
        expectsNote
        noteDraftDueOn
        school {
          id
          name
        }
        leadPartner {
          id
          name
        }
        note {
          id
          status
          overdue
        }
      }
    }
  }
`);

/** A partner's term: who, and the term calendars of this academic year and those either side (for the previous and next term). */
export const PartnerTermsQuery = graphql(`
  query PartnerTerms($id: ID!, $before: String!, $year: String!, $after: String!) {
    partner(id: $id) {
      id
      name
    }
    before: termCalendar(academicYear: $before) {
      academicYear
      terms {
        name
        startsOn
        endsOn
      }
      holidays {
        name
        startsOn
        endsOn
      }
    }
    current: termCalendar(academicYear: $year) {
      academicYear
      terms {
        name
        startsOn
        endsOn
      }
      holidays {
        name
        startsOn
        endsOn
      }
    }
    after: termCalendar(academicYear: $after) {
      academicYear
      terms {
        name
        startsOn
        endsOn
      }
      holidays {
        name
        startsOn
        endsOn
      }
    }
  }
`);

export const ClosureDaysQuery = graphql(`
  query ClosureDays($from: Date!, $to: Date!) {
    councilClosureDays(from: $from, to: $to) {
      date
      reason
    }
    bankHolidays(from: $from, to: $to) {
      date
      name
    }
  }
`);

/** A school's risk category and its history, for those the API lets see them (RiskCategorySection). */
export const SchoolRiskCategoryQuery = graphql(`
  query SchoolRiskCategory($id: ID!) {
    school(id: $id) {
      id
      visibleRiskCategory {
        id
        category
        effectiveFrom
      }
      riskCategoryHistory {
        id
        category
        effectiveFrom
        rationale
        createdAt
        assessedBy {
          name
        }
      }
    }
  }
`);

export const AssessRiskCategoryMutation = graphql(`
  mutation AssessRiskCategory($input: AssessRiskCategoryInput!) {
    assessRiskCategory(input: $input) {
      id
      category
      effectiveFrom
    }
  }
`);
