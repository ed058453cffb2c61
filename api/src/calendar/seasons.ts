import { TermSeason } from './term-calendar.entity.js';

/** Without a term calendar, the season by month: autumn Sep-Dec, spring Jan-Mar, summer Apr-Aug. */
export function seasonByMonth(isoDate: string): TermSeason {
  const month = Number(isoDate.slice(5, 7));
  return month >= 9 ? TermSeason.AUTUMN : month <= 3 ? TermSeason.SPRING : TermSeason.SUMMER;
}
