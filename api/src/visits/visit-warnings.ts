import DataLoader from 'dataloader';
import { isWeekend, parseISO } from 'date-fns';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { academicYearBounds, academicYearOf } from '../platform/dates/academic-year.js';
import { seasonByMonth } from '../calendar/seasons.js';
import { TermCalendar, TermSeason } from '../calendar/term-calendar.entity.js';
import { businessDateOf, dateInWords, longLondonDate } from '../platform/dates/today.js';
import { isBankHoliday } from '../platform/dates/working-days.js';
import type { Em } from '../platform/db/orm.js';
import { EARLIEST_YEAR, isSaneInstant, LATEST_YEAR } from '../platform/graphql/scalars.js';
import { Visit } from './visit.entity.js';
import { VisitStatus, VisitType, visitTypeHasNote } from './visit.enums.js';

export enum VisitWarningCode {
  WEEKEND = 'weekend',
  BANK_HOLIDAY = 'bank_holiday',
  SCHOOL_HOLIDAY = 'school_holiday',
  OUTSIDE_TERM = 'outside_term',
  PARTNER_OVERLAP = 'partner_overlap',
  SCHOOL_OVERLAP = 'school_overlap',
  NO_ALLOCATION = 'no_allocation',
  ALLOCATION_EXCEEDED = 'allocation_exceeded',
  /** The school is allocated to other partners this year, not to the visit's lead partner (issue 20: booking opens nothing, but is seen). */
  NOT_ALLOCATED_TO_YOU = 'not_allocated_to_you',
  TYPE_OUT_OF_TERM = 'type_out_of_term',
  NO_NOTE_OF_VISIT = 'no_note_of_visit',
  /** A date no visit can have (e.g. year 0211 or 9999), stored before the API refused such dates. */
  IMPOSSIBLE_DATE = 'impossible_date',
}
registerEnumType(VisitWarningCode, {
  name: 'VisitWarningCode',
  description: 'Why a booked visit may need a second look. The visit stays booked: the partner decides.',
});

@ObjectType({ description: 'Something about a visit the partner should know; it does not stop the booking.' })
export class VisitWarning {
  @Field(() => VisitWarningCode)
  code!: VisitWarningCode;

  @Field({ description: 'What is wrong, in words a partner can act on.' })
  message!: string;

  constructor(code: VisitWarningCode, message: string) {
    this.code = code;
    this.message = message;
  }
}

const SEASON_OF_TYPE: Partial<Record<VisitType, TermSeason>> = {
  [VisitType.AUTUMN]: TermSeason.AUTUMN,
  [VisitType.SPRING]: TermSeason.SPRING,
  [VisitType.SUMMER]: TermSeason.SUMMER,
};

const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;

interface Overlap {
  visit_id: string;
  other_id: string;
  same_school: boolean;
  other_starts_at: Date | string;
  /** The visit's partners (its lead, the partners attending it) who are at the other visit too (json: the driver may hand it over as text). */
  shared_partners: { id: string; name: string }[] | string | null;
}

interface Usage {
  school_id: string;
  allocated: string | number | null;
  spent: string | number | null;
  /** The partners allocated to the school that year (json: the driver may hand it over as text). */
  holders: AllocationHolder[] | string | null;
}

/** A partner allocated to a school for a year. */
export interface AllocationHolder {
  id: string;
  name: string;
}

/**
 * The partners a school is allocated to, when the visit's lead partner is not one of them;
 * null when the lead is allocated there or nobody is (NO_ALLOCATION says so). The one rule
 * of the booking's warning and its audit row (visit-booking.service.ts).
 */
export function othersAllocated(holders: readonly AllocationHolder[], leadPartnerId: string): AllocationHolder[] | null {
  if (!holders.length || holders.some((h) => h.id === leadPartnerId)) return null;
  return [...holders];
}

/** The partners allocated to each of some schools for one academic year, as SQL (one column per school row `s`). */
const HOLDERS_SQL = `(select json_agg(json_build_object('id', a.partner_id, 'name', p.name) order by p.name, a.partner_id)
                      from allocation a join partner p on p.id = a.partner_id where a.school_id = s.id and a.academic_year = ?)`;

/** The partners allocated to a school for the academic year of an instant (inside the booking's transaction). */
export async function allocationHolders(em: Em, schoolId: string, at: Date): Promise<AllocationHolder[]> {
  const [row] = await em.execute<{ holders: AllocationHolder[] | string | null }[]>(`select ${HOLDERS_SQL} as holders from school s where s.id = ?`, [
    academicYearOf(businessDateOf(at)),
    schoolId,
  ]);
  return parseHolders(row?.holders ?? null);
}

const parseShared = (value: Overlap['shared_partners']): { id: string; name: string }[] => (typeof value === 'string' ? JSON.parse(value) : (value ?? []));

const parseHolders = (value: AllocationHolder[] | string | null): AllocationHolder[] => (typeof value === 'string' ? JSON.parse(value) : (value ?? []));

const namesOf = (holders: readonly AllocationHolder[]) =>
  holders.length === 1
    ? holders[0]!.name
    : `${holders
        .slice(0, -1)
        .map((h) => h.name)
        .join(', ')} and ${holders.at(-1)!.name}`;

/** A visit whose times the API would refuse today: the other checks mean nothing for it (and cannot be worked out). */
const hasImpossibleDate = (visit: Visit) => !isSaneInstant(visit.startsAt) || !isSaneInstant(visit.endsAt);

function impossibleDate(visit: Visit): VisitWarning {
  const when = (instant: Date) => (Number.isNaN(instant.getTime()) ? 'no date' : instant.toISOString().split('T')[0]!);
  return new VisitWarning(
    VisitWarningCode.IMPOSSIBLE_DATE,
    `This visit is dated ${when(visit.startsAt)}, which cannot be right (visits fall between ${EARLIEST_YEAR} and ${LATEST_YEAR}): reschedule it to its real date, or cancel it.`,
  );
}

/** "An autumn", "A spring": the visit type's name with the article it takes, to start a sentence. */
const withArticle = (word: string) => `${/^[aeiou]/i.test(word) ? 'An' : 'A'} ${word}`;

/** The partners of a visit aliased `alias`: its lead, and the partners attending it. */
const PEOPLE_OF = (alias: string) =>
  `select ${alias}.lead_partner_id union select pa.partner_id from visit_attendee pa where pa.visit_id = ${alias}.id and pa.partner_id is not null`;

/** Another live visit `c` at the same time as visit `v`. */
const OVERLAPS = `c.id <> v.id and c.status <> 'cancelled' and c.starts_at < v.ends_at and c.ends_at > v.starts_at`;

/**
 * Works out the warnings of many visits at once: one query for overlaps, one per
 * academic year for allocation use, one for the term calendars, whatever the
 * number of visits on the page.
 */
export async function warningsFor(em: Em, visits: readonly Visit[]): Promise<VisitWarning[][]> {
  // A visit with an impossible date still gets its warnings (saying so): one bad row never breaks a list.
  const live = visits.filter((v) => v.status !== VisitStatus.CANCELLED && !hasImpossibleDate(v));
  const ids = live.map((v) => v.id);
  const years = [...new Set(live.map((v) => academicYearOf(businessDateOf(v.startsAt))))];
  // em.execute, not the connection's: inside a transaction (a booking preview) the
  // queries must see the visit not yet committed, and PGlite has only the one connection.

  const [overlaps, calendars, usage] = await Promise.all([
    ids.length
      ? em.execute<Overlap[]>(
          // A visit's partners are its lead and the partners attending it (issue 21): each is warned of another
          // visit they lead or attend at the same time. One statement for the whole batch; each branch of the
          // union finds its candidates through an index (school, lead partner, attending partner).
          `select v.id as visit_id, o.id as other_id, o.school_id = v.school_id as same_school, o.starts_at as other_starts_at,
                  (select json_agg(json_build_object('id', p.id, 'name', p.name) order by p.name, p.id) from partner p
                    where p.id in (${PEOPLE_OF('v')}) and p.id in (${PEOPLE_OF('o')})) as shared_partners
             from visit v
             cross join lateral (
               select c.id, c.school_id, c.starts_at, c.lead_partner_id from visit c where c.school_id = v.school_id and ${OVERLAPS}
               union select c.id, c.school_id, c.starts_at, c.lead_partner_id from visit c where c.lead_partner_id in (${PEOPLE_OF('v')}) and ${OVERLAPS}
               union select c.id, c.school_id, c.starts_at, c.lead_partner_id from visit_attendee b join visit c on c.id = b.visit_id
                      where b.partner_id in (${PEOPLE_OF('v')}) and ${OVERLAPS}
             ) o
            where v.id in (${ids.map(() => '?').join(', ')})`,
          ids,
        )
      : [],
    years.length ? em.find(TermCalendar, { academicYear: { $in: years } }) : [],
    Promise.all(
      years.map(async (year) => {
        const schoolIds = [...new Set(live.filter((v) => academicYearOf(businessDateOf(v.startsAt)) === year).map((v) => v.school.id))];
        const { from, to } = academicYearBounds(year);
        const rows = await em.execute<Usage[]>(
          `select s.id as school_id,
                  (select sum(a.days) from allocation a where a.school_id = s.id and a.academic_year = ?) as allocated,
                  (select sum(x.in_school_days + x.out_of_school_days) from visit x
                    where x.school_id = s.id and x.status <> 'cancelled' and x.starts_at >= ? and x.starts_at < ?) as spent,
                  ${HOLDERS_SQL} as holders
             from school s where s.id in (${schoolIds.map(() => '?').join(', ')})`,
          [year, from, to, year, ...schoolIds],
        );
        return rows.map((r) => ({ ...r, year }));
      }),
    ).then((perYear) => perYear.flat()),
  ]);

  const calendarByYear = new Map(calendars.map((c) => [c.academicYear, c]));
  const usageBySchoolYear = new Map(usage.map((u) => [`${u.school_id}|${u.year}`, u]));

  return visits.map((visit) => {
    if (visit.status === VisitStatus.CANCELLED) return [];
    if (hasImpossibleDate(visit)) return [impossibleDate(visit)];
    const warnings: VisitWarning[] = [];
    const date = businessDateOf(visit.startsAt);
    const year = academicYearOf(date);

    if (isWeekend(parseISO(date))) warnings.push(new VisitWarning(VisitWarningCode.WEEKEND, `${longLondonDate(visit.startsAt)} is a weekend.`));
    else if (isBankHoliday(date)) warnings.push(new VisitWarning(VisitWarningCode.BANK_HOLIDAY, `${longLondonDate(visit.startsAt)} is a bank holiday.`));

    const calendar = calendarByYear.get(year);
    const term = calendar?.terms.find((t) => t.startsOn <= date && date <= t.endsOn);
    if (calendar) {
      const holiday = calendar.holidays.find((h) => h.startsOn <= date && date <= h.endsOn);
      if (holiday) {
        // Calendars name holidays "Easter" or "Autumn Holiday": say "holiday" once.
        const holidayName = /holiday$/i.test(holiday.name) ? holiday.name : `${holiday.name} holiday`;
        warnings.push(
          new VisitWarning(
            VisitWarningCode.SCHOOL_HOLIDAY,
            `${longLondonDate(visit.startsAt)} falls in the ${holidayName} (${dateInWords(holiday.startsOn)} to ${dateInWords(holiday.endsOn)}).`,
          ),
        );
      } else if (!term) {
        warnings.push(new VisitWarning(VisitWarningCode.OUTSIDE_TERM, `${longLondonDate(visit.startsAt)} is outside the ${year} terms.`));
      }
    }
    const wanted = SEASON_OF_TYPE[visit.type];
    const season = term?.season ?? (calendar ? null : seasonByMonth(date));
    if (wanted && season && season !== wanted) {
      warnings.push(
        new VisitWarning(
          VisitWarningCode.TYPE_OUT_OF_TERM,
          `${withArticle(visit.type)} visit is booked in the ${season} term${term ? ` (${term.name})` : ''}.`,
        ),
      );
    }

    for (const o of overlaps.filter((x) => x.visit_id === visit.id)) {
      const when = longLondonDate(new Date(o.other_starts_at));
      const shared = parseShared(o.shared_partners);
      if (shared.some((p) => p.id === visit.leadPartner.id)) {
        warnings.push(new VisitWarning(VisitWarningCode.PARTNER_OVERLAP, `The lead partner has another visit at the same time (${when}).`));
      }
      for (const attending of shared.filter((p) => p.id !== visit.leadPartner.id)) {
        warnings.push(new VisitWarning(VisitWarningCode.PARTNER_OVERLAP, `${attending.name}, attending, has another visit at the same time (${when}).`));
      }
      if (o.same_school && !shared.length)
        warnings.push(new VisitWarning(VisitWarningCode.SCHOOL_OVERLAP, `The school has another visit at the same time (${when}).`));
    }

    const use = usageBySchoolYear.get(`${visit.school.id}|${year}`);
    const allocated = Number(use?.allocated ?? 0);
    const spent = Number(use?.spent ?? 0);
    if (!use?.allocated) {
      warnings.push(new VisitWarning(VisitWarningCode.NO_ALLOCATION, `The school has no partner days allocated for ${year}.`));
    } else if (spent > allocated) {
      warnings.push(
        new VisitWarning(VisitWarningCode.ALLOCATION_EXCEEDED, `Visits booked for ${year} use ${days(spent)} of the school's ${days(allocated)} allocation.`),
      );
    }

    const others = othersAllocated(parseHolders(use?.holders ?? null), visit.leadPartner.id);
    if (others) {
      warnings.push(
        new VisitWarning(
          VisitWarningCode.NOT_ALLOCATED_TO_YOU,
          `Not allocated to you: the school is allocated to ${namesOf(others)} for ${year}. Booking it does not open the school's notes to you; tell them, or ask a senior adviser.`,
        ),
      );
    }

    if (!visitTypeHasNote(visit.type)) {
      warnings.push(
        new VisitWarning(
          VisitWarningCode.NO_NOTE_OF_VISIT,
          'A headteacher performance-management visit gets no note of visit: leave the governors a feedback form instead.',
        ),
      );
    }
    return warnings;
  });
}

/** One loader per request, so the warnings of a page of visits are worked out together. */
export function createWarningsLoader(em: Em): DataLoader<Visit, VisitWarning[]> {
  return new DataLoader((visits) => warningsFor(em, visits), { cache: false });
}
