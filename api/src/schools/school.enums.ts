import { registerEnumType } from 'type-graphql';

export enum SchoolPhase {
  NURSERY = 'nursery',
  PRIMARY = 'primary',
  MIDDLE = 'middle',
  SECONDARY = 'secondary',
  ALL_THROUGH = 'all_through',
  SPECIAL = 'special',
  PRU = 'pru',
  SIXTEEN_PLUS = 'sixteen_plus',
}

/** Governance type, the one that decides the council's role (maintained schools are its own). */
export enum SchoolType {
  MAINTAINED = 'maintained',
  ACADEMY_CONVERTER = 'academy_converter',
  SPONSORED_ACADEMY = 'sponsored_academy',
  FREE_SCHOOL = 'free_school',
  OTHER = 'other',
}

export enum SchoolStatus {
  OPEN = 'open',
  OPEN_PROPOSED_TO_CLOSE = 'open_proposed_to_close',
  PROPOSED_TO_OPEN = 'proposed_to_open',
  CLOSED = 'closed',
}

export enum SchoolSuccessionKind {
  ACADEMY_CONVERSION = 'academy_conversion',
  AMALGAMATION = 'amalgamation',
  MERGER = 'merger',
  SPLIT = 'split',
  OTHER = 'other',
}

/** Norfolk's risk categories (seed 003): confidential, revised at least termly. */
export enum RiskCategory {
  A4 = 'A4',
  B3 = 'B3',
  C3 = 'C3',
  D1 = 'D1',
  D2 = 'D2',
  D3 = 'D3',
  E1 = 'E1',
  E2 = 'E2',
  F1 = 'F1',
}

registerEnumType(SchoolPhase, { name: 'SchoolPhase', description: 'Phase of education.' });
registerEnumType(SchoolType, { name: 'SchoolType', description: 'Governance type of the establishment.' });
registerEnumType(SchoolStatus, { name: 'SchoolStatus', description: 'Whether the establishment is open (as in the national register).' });
registerEnumType(SchoolSuccessionKind, { name: 'SchoolSuccessionKind', description: 'Why one establishment replaced another.' });
registerEnumType(RiskCategory, {
  name: 'RiskCategory',
  description:
    'Council risk category: A4 school of concern, B3 requires improvement, C3 requires improvement but making good progress, D1-D3 in transition, E1 confidently good, E2 good, F1 outstanding.',
});
