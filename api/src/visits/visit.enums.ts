import { registerEnumType } from 'type-graphql';

export enum VisitType {
  FAMILIARISATION = 'familiarisation',
  AUTUMN = 'autumn',
  SPRING = 'spring',
  SUMMER = 'summer',
  /** Advice to governors on the headteacher's performance management: no note of visit. */
  HEADTEACHER_PERFORMANCE_MANAGEMENT = 'headteacher_performance_management',
  ROUND_TABLE = 'round_table',
  JOINT_EVALUATION = 'joint_evaluation',
  INSPECTION_FEEDBACK = 'inspection_feedback',
  OTHER = 'other',
}

export enum VisitStatus {
  BOOKED = 'booked',
  COMPLETED = 'completed',
  CANCELLED = 'cancelled',
}

export enum AttendeeRole {
  PARTNER = 'partner',
  HEADTEACHER = 'headteacher',
  CHAIR_OF_GOVERNORS = 'chair_of_governors',
  GOVERNOR = 'governor',
  SCHOOL_STAFF = 'school_staff',
  COUNCIL_OFFICER = 'council_officer',
  OTHER = 'other',
}

/** Who leads an agenda item. */
export enum AgendaOwnerRole {
  PARTNER = 'partner',
  HEADTEACHER = 'headteacher',
  GOVERNORS = 'governors',
  SCHOOL = 'school',
  COUNCIL = 'council',
  ALL = 'all',
}

registerEnumType(VisitType, {
  name: 'VisitType',
  description: 'Kind of visit; each has its agenda template. HEADTEACHER_PERFORMANCE_MANAGEMENT visits get no note of visit.',
});
registerEnumType(VisitStatus, { name: 'VisitStatus' });
registerEnumType(AttendeeRole, { name: 'AttendeeRole' });
registerEnumType(AgendaOwnerRole, { name: 'AgendaOwnerRole', description: 'Who leads an agenda item.' });

/** The visit types that end in a note of visit. */
export function visitTypeHasNote(type: VisitType): boolean {
  return type !== VisitType.HEADTEACHER_PERFORMANCE_MANAGEMENT;
}

/** How a visit type reads in a calendar subject and an agenda heading. */
export const VISIT_TYPE_LABELS: Record<VisitType, string> = {
  [VisitType.FAMILIARISATION]: 'Familiarisation visit',
  [VisitType.AUTUMN]: 'Autumn visit',
  [VisitType.SPRING]: 'Spring visit',
  [VisitType.SUMMER]: 'Summer visit',
  [VisitType.HEADTEACHER_PERFORMANCE_MANAGEMENT]: 'Headteacher performance management',
  [VisitType.ROUND_TABLE]: 'Round table meeting',
  [VisitType.JOINT_EVALUATION]: 'Joint evaluation meeting',
  [VisitType.INSPECTION_FEEDBACK]: 'Inspection feedback',
  [VisitType.OTHER]: 'Visit',
};

export const AGENDA_OWNER_LABELS: Record<AgendaOwnerRole, string> = {
  [AgendaOwnerRole.PARTNER]: 'Partner',
  [AgendaOwnerRole.HEADTEACHER]: 'Headteacher',
  [AgendaOwnerRole.GOVERNORS]: 'Governors',
  [AgendaOwnerRole.SCHOOL]: 'School',
  [AgendaOwnerRole.COUNCIL]: 'Council',
  [AgendaOwnerRole.ALL]: 'All',
};
