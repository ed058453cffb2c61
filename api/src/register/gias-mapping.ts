import { SchoolPhase, SchoolStatus, SchoolSuccessionKind, SchoolType } from '../schools/school.enums.js';

/**
 * How the columns of the national register's establishment download ("Get
 * Information About Schools", edubasealldata*.csv) map onto a school here.
 */
export interface GiasSchool {
  urn: number;
  laCode: number;
  establishmentNumber: number;
  name: string;
  phase: SchoolPhase;
  type: SchoolType;
  establishmentTypeName: string | null;
  status: SchoolStatus;
  openedOn: string | null;
  closedOn: string | null;
  lastOfstedGrade: number | null;
  lastOfstedDate: string | null;
  district: string | null;
  address: { line1: string; line2: string | null; town: string; county: string | null; postcode: string } | null;
  headteacherName: string | null;
  sponsor: string | null;
}

export type Row = Record<string, string | undefined>;

const value = (row: Row, column: string) => {
  const v = row[column]?.trim();
  return v ? v : null;
};

/** "dd-mm-yyyy" (as GIAS writes dates) → "yyyy-mm-dd". */
export function giasDate(text: string | null): string | null {
  const m = text ? /^(\d{2})[-/](\d{2})[-/](\d{4})$/.exec(text) : null;
  return m ? `${m[3]}-${m[2]}-${m[1]}` : null;
}

const OFSTED: Record<string, number> = {
  outstanding: 1,
  good: 2,
  'requires improvement': 3,
  inadequate: 4,
  'serious weaknesses': 4,
  'special measures': 4,
};

const STATUS: Record<string, SchoolStatus> = {
  open: SchoolStatus.OPEN,
  closed: SchoolStatus.CLOSED,
  'open, but proposed to close': SchoolStatus.OPEN_PROPOSED_TO_CLOSE,
  'proposed to open': SchoolStatus.PROPOSED_TO_OPEN,
};

function typeOf(typeName: string): SchoolType {
  const t = typeName.toLowerCase();
  if (t.includes('free school')) return SchoolType.FREE_SCHOOL;
  if (t.startsWith('academy') && t.includes('sponsor')) return SchoolType.SPONSORED_ACADEMY;
  if (t.startsWith('academy') || t.includes('academy')) return SchoolType.ACADEMY_CONVERTER;
  if (/^(community|voluntary|foundation|local authority nursery|pupil referral)/.test(t)) return SchoolType.MAINTAINED;
  return SchoolType.OTHER;
}

function phaseOf(phaseName: string, typeName: string, lowAge: number, highAge: number): SchoolPhase {
  const t = typeName.toLowerCase();
  if (t.includes('special')) return SchoolPhase.SPECIAL;
  if (t.includes('pupil referral') || t.includes('alternative provision')) return SchoolPhase.PRU;
  const p = phaseName.toLowerCase();
  if (p === 'nursery') return SchoolPhase.NURSERY;
  if (p === 'primary') return SchoolPhase.PRIMARY;
  if (p.startsWith('middle')) return SchoolPhase.MIDDLE;
  if (p === 'secondary') return SchoolPhase.SECONDARY;
  if (p === 'all-through') return SchoolPhase.ALL_THROUGH;
  if (p === '16 plus') return SchoolPhase.SIXTEEN_PLUS;
  // "Not applicable": go by the ages the establishment takes.
  if (lowAge >= 16) return SchoolPhase.SIXTEEN_PLUS;
  if (highAge && highAge <= 11) return SchoolPhase.PRIMARY;
  return SchoolPhase.SECONDARY;
}

/** A row of the establishment file as a school, or the reason it cannot be one. */
export function schoolFromRow(row: Row): GiasSchool | string {
  const urn = Number(value(row, 'URN'));
  const laCode = Number(value(row, 'LA (code)'));
  const establishmentNumber = Number(value(row, 'EstablishmentNumber') ?? NaN);
  const name = value(row, 'EstablishmentName');
  if (!Number.isInteger(urn) || urn <= 0) return 'no URN';
  if (!Number.isInteger(laCode) || !name) return `URN ${urn}: no LA code or name`;
  const typeName = value(row, 'TypeOfEstablishment (name)') ?? '';
  const street = value(row, 'Street');
  const town = value(row, 'Town');
  const postcode = value(row, 'Postcode');
  const head = [value(row, 'HeadFirstName'), value(row, 'HeadLastName')].filter(Boolean).join(' ');
  return {
    urn,
    laCode,
    establishmentNumber: Number.isInteger(establishmentNumber) ? establishmentNumber : 0,
    name,
    phase: phaseOf(
      value(row, 'PhaseOfEducation (name)') ?? '',
      typeName,
      Number(value(row, 'StatutoryLowAge') ?? 0),
      Number(value(row, 'StatutoryHighAge') ?? 0),
    ),
    type: typeOf(typeName),
    establishmentTypeName: typeName || null,
    status: STATUS[(value(row, 'EstablishmentStatus (name)') ?? 'open').toLowerCase()] ?? SchoolStatus.OPEN,
    openedOn: giasDate(value(row, 'OpenDate')),
    closedOn: giasDate(value(row, 'CloseDate')),
    lastOfstedGrade: OFSTED[(value(row, 'OfstedRating (name)') ?? '').toLowerCase()] ?? null,
    lastOfstedDate: giasDate(value(row, 'OfstedLastInsp')),
    district: value(row, 'DistrictAdministrative (name)'),
    address:
      street && town && postcode
        ? {
            line1: street,
            line2: [value(row, 'Locality'), value(row, 'Address3')].filter(Boolean).join(', ') || null,
            town,
            county: value(row, 'County (name)'),
            postcode,
          }
        : null,
    headteacherName: head || null,
    sponsor: value(row, 'SchoolSponsors (name)') ?? value(row, 'Trusts (name)'),
  };
}

export interface GiasLink {
  predecessorUrn: number;
  successorUrn: number;
  kind: 'amalgamation' | 'merger' | 'split' | 'other';
  effectiveOn: string | null;
}

/** A row of the links file ("URN is succeeded by / preceded by LinkURN") as a predecessor → successor pair. */
export function linkFromRow(row: Row): GiasLink | null {
  const urn = Number(value(row, 'URN'));
  const other = Number(value(row, 'LinkURN'));
  const type = (value(row, 'LinkType') ?? '').toLowerCase();
  if (!urn || !other || !(type.startsWith('predecessor') || type.startsWith('successor'))) return null;
  const kind = type.includes('amalgamat') ? 'amalgamation' : type.includes('merge') ? 'merger' : type.includes('split') ? 'split' : 'other';
  const effectiveOn = giasDate(value(row, 'LinkEstablishedDate'));
  return type.startsWith('predecessor')
    ? { predecessorUrn: other, successorUrn: urn, kind, effectiveOn }
    : { predecessorUrn: urn, successorUrn: other, kind, effectiveOn };
}

export function successionKind(link: GiasLink, successorType: SchoolType): SchoolSuccessionKind {
  if (link.kind === 'amalgamation') return SchoolSuccessionKind.AMALGAMATION;
  if (link.kind === 'merger') return SchoolSuccessionKind.MERGER;
  if (link.kind === 'split') return SchoolSuccessionKind.SPLIT;
  return [SchoolType.ACADEMY_CONVERTER, SchoolType.SPONSORED_ACADEMY, SchoolType.FREE_SCHOOL].includes(successorType)
    ? SchoolSuccessionKind.ACADEMY_CONVERSION
    : SchoolSuccessionKind.OTHER;
}
