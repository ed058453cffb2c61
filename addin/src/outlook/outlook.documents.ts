import { graphql } from '../shared/graphql/generated/index.js';

export const VisitForPaneFields = graphql(`
  fragment VisitForPane on Visit {
    id
    version
    type
    status
    startsAt
    endsAt
    location
    cancellationReason
    completedAt
    expectsNote
    agendaHtml
    agendaDocxUrl
    noteDraftDueOn
    noteCirculationDueOn
    school {
      id
      name
      dfeNumber
      address {
        oneLine
      }
    }
    leadPartner {
      id
      name
      email
    }
    agenda {
      position
      title
      detail
      minutes
      ownerRole
    }
    note {
      id
      status
      draftDueOn
      circulationDueOn
      overdue
    }
    warnings {
      code
      message
    }
    appointment {
      itemId
      seriesMasterId
    }
    attendees {
      name
      email
      role
    }
    emails {
      id
      status
      subject
      toAddress
      attempts
      lastError
      sentAt
    }
  }
`);

export const MySchoolsQuery = graphql(`
  query MySchools {
    me {
      id
      name
      role
      allocations {
        academicYear
        school {
          id
          name
          dfeNumber
          address {
            oneLine
          }
        }
      }
    }
  }
`);

export const SearchSchoolsQuery = graphql(`
  query SearchSchools($search: String!) {
    schools(first: 20, filter: { search: $search, status: [OPEN, OPEN_PROPOSED_TO_CLOSE] }) {
      nodes {
        id
        name
        dfeNumber
        address {
          oneLine
        }
      }
    }
  }
`);

export const BookingWarningsQuery = graphql(`
  query BookingWarnings($input: BookVisitInput!) {
    bookingWarnings(input: $input) {
      code
      message
    }
  }
`);

export const BookVisitMutation = graphql(`
  mutation BookVisit($input: BookVisitInput!) {
    bookVisit(input: $input) {
      ...VisitForPane
    }
  }
`);

export const VisitByIdQuery = graphql(`
  query VisitForPaneById($id: ID!) {
    visit(id: $id) {
      ...VisitForPane
    }
  }
`);

export const VisitForAppointmentQuery = graphql(`
  query VisitForPaneByAppointment($itemId: String) {
    visitForAppointment(itemId: $itemId) {
      ...VisitForPane
    }
  }
`);

export const RescheduleVisitMutation = graphql(`
  mutation RescheduleVisitFromAppointment($id: ID!, $expectedVersion: Int!, $startsAt: DateTime!, $endsAt: DateTime!) {
    rescheduleVisit(id: $id, expectedVersion: $expectedVersion, startsAt: $startsAt, endsAt: $endsAt) {
      ...VisitForPane
    }
  }
`);

export const CancelVisitMutation = graphql(`
  mutation CancelVisitFromPane($id: ID!, $expectedVersion: Int!, $reason: String!) {
    cancelVisit(id: $id, expectedVersion: $expectedVersion, reason: $reason) {
      ...VisitForPane
    }
  }
`);

export const CompleteVisitMutation = graphql(`
  mutation CompleteVisitFromPane($id: ID!, $expectedVersion: Int!) {
    completeVisit(id: $id, expectedVersion: $expectedVersion) {
      ...VisitForPane
    }
  }
`);

export const SetAgendaMutation = graphql(`
  mutation SetAgendaFromPane($visitId: ID!, $expectedVersion: Int!, $items: [AgendaItemInput!]!) {
    setAgenda(visitId: $visitId, expectedVersion: $expectedVersion, items: $items) {
      ...VisitForPane
    }
  }
`);

export const SendSchoolSectionLinkMutation = graphql(`
  mutation SendSchoolSectionLinkFromPane($visitId: ID!, $recipientEmail: String) {
    sendSchoolSectionLink(visitId: $visitId, recipientEmail: $recipientEmail) {
      id
      recipientEmail
      expiresAt
    }
  }
`);

export const RetryEmailMutation = graphql(`
  mutation RetryEmailFromPane($id: ID!) {
    retryEmail(id: $id) {
      id
      status
      attempts
      lastError
      sentAt
    }
  }
`);

export const AgendaTemplatesQuery = graphql(`
  query AgendaTemplatesForPane {
    agendaTemplates {
      id
      visitType
      fixed
      items {
        title
        detail
        minutes
        ownerRole
      }
    }
  }
`);

export const PartnersByEmailQuery = graphql(`
  query PartnersByEmail($search: String!) {
    partners(first: 5, filter: { search: $search }) {
      nodes {
        id
        email
      }
    }
  }
`);

export const PaneMeQuery = graphql(`
  query PaneMe {
    me {
      id
      role
    }
  }
`);

/** The school's card (SchoolCard.tsx): one query, before booking and beside a booked visit. */
export const SchoolCardQuery = graphql(`
  query SchoolCard($id: ID!) {
    school(id: $id) {
      id
      name
      dfeNumber
      phase
      lastOfstedGrade
      lastOfstedDate
      headteacher {
        name
        email
      }
      chairOfGovernors {
        name
        email
      }
      recordsVisible
      visibleRiskCategory {
        id
        category
        effectiveFrom
      }
      currentAllocations {
        id
        academicYear
        days
        daysSpent
        daysRemaining
        partner {
          id
          name
        }
      }
      lastVisit {
        id
        startsAt
        type
        expectsNote
        leadPartner {
          id
          name
        }
        note {
          id
          status
        }
      }
      openRecommendations(first: 3) {
        totalCount
        nodes {
          id
          action
          ownerRole
          dueOn
        }
      }
    }
  }
`);
