import { badInput } from '../errors.js';

const ACADEMIC_YEAR = /^(\d{4})-(\d{2})$/;

/** Validates an academic year such as "2026-27" (September to August). */
export function checkAcademicYear(value: string, field = 'academicYear'): string {
  const match = ACADEMIC_YEAR.exec(value.trim());
  const start = match ? Number(match[1]) : NaN;
  if (!match || (start + 1) % 100 !== Number(match[2])) {
    throw badInput(`${field} "${value.slice(0, 20)}" is not an academic year: write it as "2026-27".`, field);
  }
  // as every date the API takes (graphql/scalars.ts): years 0210-11 or 9999-00 are slips, and 10000 is no year a date can hold
  if (start < 2000 || start > 2099)
    throw badInput(`${field} "${match[0]}" is not an academic year this service keeps: they run from 2000-01 to 2099-00. Check the year.`, field);
  return match[0];
}

/** The calendar year in which the academic year of a date began: September starts a new one. */
export function academicYearStart(isoDate: string): number {
  const [year, month] = isoDate.split('-').map(Number) as [number, number];
  return month >= 9 ? year : year - 1;
}

/** 2026 → "2026-27". */
export function academicYearLabel(startYear: number): string {
  return `${startYear}-${String((startYear + 1) % 100).padStart(2, '0')}`;
}

/** The instants an academic year spans: from 1 September to the next 1 September, London time (BST then). */
export function academicYearBounds(academicYear: string): { from: Date; to: Date } {
  const start = Number(academicYear.slice(0, 4));
  return { from: new Date(`${start}-09-01T00:00:00+01:00`), to: new Date(`${start + 1}-09-01T00:00:00+01:00`) };
}

export function academicYearOf(isoDate: string): string {
  return academicYearLabel(academicYearStart(isoDate));
}
