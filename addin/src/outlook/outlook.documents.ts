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
