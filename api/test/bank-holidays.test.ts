import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { describeReport, mergeBankHolidays, publishedEvents, type BankHolidayData } from '../../scripts/bank-holidays/refresh.mjs';
import {
  bankHolidayOn,
  easterSunday,
  goodFriday,
  LAST_LISTED_YEAR,
  onProvisionalBankHolidays,
  standingRuleBankHolidays,
} from '../src/platform/dates/bank-holidays.js';
import { typicalTermCalendar } from '../demo/term-dates.js';
import { addWorkingDays, ENGLAND_AND_WALES, isBankHoliday, isWorkingDay, WorkingCalendar } from '../src/platform/dates/working-days.js';
import { noteDeadlines } from '../src/notes/note-deadlines.js';

/**
 * England and Wales bank holidays (issue 17): the government's list, kept as data
 * (api/src/platform/dates/bank-holidays.england-and-wales.json), is what working days skip,
 * one-off and moved holidays included.
 */

// The data file read as a file, not through the code under test.
const DATA: BankHolidayData = JSON.parse(readFileSync(new URL('../src/platform/dates/bank-holidays.england-and-wales.json', import.meta.url), 'utf8'));
const LISTED = new Set(DATA.events.map((e) => e.date));
const LAST_YEAR = Math.max(...DATA.events.map((e) => Number(e.date.slice(0, 4))));

/** Every date from `from` to `to`, by plain UTC arithmetic. */
function* days(from: string, to: string): Generator<string> {
  for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) <= to; d.setUTCDate(d.getUTCDate() + 1)) yield d.toISOString().slice(0, 10);
}
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
const shift = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describe('the bank holiday list', () => {
  it('is GOV.UK’s england-and-wales division, in its event shape, from 2007 to at least 2028, one entry per date, on weekdays only', () => {
    expect(DATA).toMatchObject({ division: 'england-and-wales', source: 'https://www.gov.uk/bank-holidays.json' });
    expect(DATA.retrievedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(DATA.events[0]!.date).toBe('2007-01-01');
    expect(LAST_YEAR).toBeGreaterThanOrEqual(2028);
    expect(LAST_LISTED_YEAR).toBe(LAST_YEAR);
    for (const e of DATA.events) {
      expect(Object.keys(e).sort()).toEqual(['bunting', 'date', 'notes', 'title']);
      expect(typeof e.title === 'string' && typeof e.notes === 'string' && typeof e.bunting === 'boolean').toBe(true);
      expect([0, 6], `${e.date} ${e.title}`).not.toContain(weekday(e.date));
    }
    expect(LISTED.size).toBe(DATA.events.length);
    // Sorted, and every year whole: at least the regular eight, with Christmas.
    expect(DATA.events.map((e) => e.date)).toEqual([...LISTED].sort());
    for (let year = 2007; year <= LAST_YEAR; year += 1) {
      const ofYear = DATA.events.filter((e) => e.date.startsWith(`${year}-`));
      expect(ofYear.length, String(year)).toBeGreaterThanOrEqual(8);
      expect(
        ofYear.some((e) => e.title === 'Christmas Day'),
        String(year),
      ).toBe(true);
    }
    // Where each range of years came from, covering every year.
    const covered = (DATA.provenance ?? []).flatMap((p) => Array.from({ length: p.to - p.from + 1 }, (_, i) => p.from + i));
    expect(covered).toEqual(Array.from({ length: LAST_YEAR - 2006 }, (_, i) => 2007 + i));
  });

  it('every England and Wales bank holiday from 2007 to the end of the published list is a non-working day, and no other weekday is', () => {
    let holidays = 0;
    let workingDays = 0;
    for (const date of days('2007-01-01', `${LAST_YEAR}-12-31`)) {
      const weekend = weekday(date) === 0 || weekday(date) === 6;
      const listed = LISTED.has(date);
      expect(isBankHoliday(date), date).toBe(listed);
      expect(isWorkingDay(date), date).toBe(!weekend && !listed);
      expect(ENGLAND_AND_WALES.isWorkingDay(date), date).toBe(!weekend && !listed);
      if (listed) holidays += 1;
      else if (!weekend) workingDays += 1;
    }
    expect(holidays).toBe(DATA.events.length);
    expect(workingDays).toBeGreaterThan(250 * (LAST_YEAR - 2006));
  });

  // Written out by hand from the government's announcements, not from the data file.
  it.each([
    ['2011-04-29', 'the royal wedding (one-off)'],
    ['2012-06-04', 'spring bank holiday 2012, moved from 28 May for the Diamond Jubilee'],
    ['2012-06-05', 'the Queen’s Diamond Jubilee (one-off)'],
    ['2020-05-08', 'early May bank holiday 2020, moved from 4 May to VE day'],
    ['2022-06-02', 'spring bank holiday 2022, moved from 30 May for the Platinum Jubilee'],
    ['2022-06-03', 'the Platinum Jubilee (one-off)'],
    ['2022-09-19', 'the state funeral of Queen Elizabeth II (one-off)'],
    ['2023-05-08', 'the coronation of King Charles III (one-off)'],
    ['2010-12-27', 'Christmas Day 2010 (Saturday): substitute'],
    ['2010-12-28', 'Boxing Day 2010 (Sunday): substitute'],
    ['2011-01-03', 'New Year’s Day 2011 (Saturday): substitute'],
    ['2011-12-27', 'Christmas Day 2011 (Sunday): substitute, after Boxing Day'],
    ['2012-01-02', 'New Year’s Day 2012 (Sunday): substitute'],
    ['2015-12-28', 'Boxing Day 2015 (Saturday): substitute'],
    ['2016-12-27', 'Christmas Day 2016 (Sunday): substitute'],
    ['2017-01-02', 'New Year’s Day 2017 (Sunday): substitute'],
    ['2020-12-28', 'Boxing Day 2020 (Saturday): substitute'],
    ['2021-12-27', 'Christmas Day 2021 (Saturday): substitute'],
    ['2021-12-28', 'Boxing Day 2021 (Sunday): substitute'],
    ['2022-01-03', 'New Year’s Day 2022 (Saturday): substitute'],
    ['2022-12-27', 'Christmas Day 2022 (Sunday): substitute'],
    ['2023-01-02', 'New Year’s Day 2023 (Sunday): substitute'],
    ['2026-12-28', 'Boxing Day 2026 (Saturday): substitute'],
    ['2027-12-27', 'Christmas Day 2027 (Saturday): substitute'],
    ['2027-12-28', 'Boxing Day 2027 (Sunday): substitute'],
    ['2028-01-03', 'New Year’s Day 2028 (Saturday): substitute'],
    ['2007-04-06', 'Good Friday 2007'],
    ['2008-03-21', 'Good Friday 2008 (the earliest Easter of the list)'],
    ['2009-08-31', 'summer bank holiday 2009'],
    ['2028-04-14', 'Good Friday 2028'],
  ])('%s is a bank holiday: %s', (date) => {
    expect(isBankHoliday(date)).toBe(true);
    expect(isWorkingDay(date)).toBe(false);
  });

  it.each([
    ['2012-05-28', 'the last Monday of May 2012: the holiday moved to 4 June'],
    ['2020-05-04', 'the first Monday of May 2020: the holiday moved to VE day'],
    ['2022-05-30', 'the last Monday of May 2022: the holiday moved to 2 June'],
    ['2011-04-28', 'the day before the royal wedding'],
    ['2010-12-29', 'the day after the 2010 substitutes'],
    ['2016-12-28', 'Wednesday after Christmas 2016'],
    ['2027-12-29', 'Wednesday after Christmas 2027'],
  ])('%s is a working day: %s', (date) => {
    expect(isBankHoliday(date)).toBe(false);
    expect(isWorkingDay(date)).toBe(true);
  });

  it('has these whole years, written out by hand', () => {
    const year = (y: number) =>
      DATA.events.filter((e) => e.date.startsWith(`${y}-`)).map((e) => `${e.date.slice(5)} ${e.title}${e.notes ? ` (${e.notes})` : ''}`);
    expect(year(2007)).toEqual([
      '01-01 New Year’s Day',
      '04-06 Good Friday',
      '04-09 Easter Monday',
      '05-07 Early May bank holiday',
      '05-28 Spring bank holiday',
      '08-27 Summer bank holiday',
      '12-25 Christmas Day',
      '12-26 Boxing Day',
    ]);
    expect(year(2012).map((d) => d.slice(0, 5))).toEqual(['01-02', '04-06', '04-09', '05-07', '06-04', '06-05', '08-27', '12-25', '12-26']);
    expect(year(2022).map((d) => d.slice(0, 5))).toEqual(['01-03', '04-15', '04-18', '05-02', '06-02', '06-03', '08-29', '09-19', '12-26', '12-27']);
    expect(year(2023).map((d) => d.slice(0, 5))).toEqual(['01-02', '04-07', '04-10', '05-01', '05-08', '05-29', '08-28', '12-25', '12-26']);
    expect(year(2028).map((d) => d.slice(0, 5))).toEqual(['01-03', '04-14', '04-17', '05-01', '05-29', '08-28', '12-25', '12-26']);
    expect(year(2022)).toContain('09-19 Bank Holiday for the State Funeral of Queen Elizabeth II');
    expect(year(2011)).toContain('04-29 Royal wedding');
    expect(year(2012)).toContain('06-05 Queen’s Diamond Jubilee (Extra bank holiday)');
  });

  it('differs from the standing rules exactly in the years of one-off and moved holidays', () => {
    const differing: number[] = [];
    for (let y = 2007; y <= LAST_YEAR; y += 1) {
      const listed = DATA.events.filter((e) => e.date.startsWith(`${y}-`)).map((e) => e.date);
      if (JSON.stringify(listed) !== JSON.stringify(standingRuleBankHolidays(y).map((h) => h.date))) differing.push(y);
    }
    expect(differing).toEqual([2011, 2012, 2020, 2022, 2023]);
  });

  it('has Good Friday and Easter Monday where Easter puts them (the term dates use the same Easter)', () => {
    for (let y = 2007; y <= LAST_YEAR; y += 1) {
      const friday = DATA.events.find((e) => e.date.startsWith(`${y}-`) && e.title === 'Good Friday')!;
      const monday = DATA.events.find((e) => e.date.startsWith(`${y}-`) && e.title === 'Easter Monday')!;
      expect(friday.date).toBe(goodFriday(y));
      expect(monday.date).toBe(shift(easterSunday(y), 1));
    }
    // 2026-27's spring term ends the day before Good Friday 2027 (26 March), its Easter holiday starts on it.
    const calendar = typicalTermCalendar(2026);
    expect(calendar.terms.find((t) => t.name === 'Spring 2')!.endsOn).toBe('2027-03-25');
    expect(calendar.holidays.find((h) => h.name === 'Easter')!.startsOn).toBe('2027-03-26');
  });
});

describe('past the end of the published list', () => {
  afterEach(() => onProvisionalBankHolidays());

  it('counts the regular eight by the standing rules, and says so once per year', () => {
    const told: number[] = [];
    onProvisionalBankHolidays((year, message) => {
      told.push(year);
      expect(message).toMatch(new RegExp(`published England and Wales bank holidays only to ${LAST_YEAR}.*npm run bank-holidays:refresh`));
    });
    const year = LAST_YEAR + 1;
    const [friday, monday] = [goodFriday(year), shift(easterSunday(year), 1)];
    expect(bankHolidayOn(friday)).toMatchObject({ title: 'Good Friday', provisional: true });
    expect(isWorkingDay(monday)).toBe(false);
    expect(isWorkingDay(`${year}-12-25`)).toBe(false);
    // The Thursday before Good Friday, plus one working day: the Tuesday after Easter Monday.
    expect(addWorkingDays(shift(friday, -1), 1)).toBe(shift(monday, 1));
    expect(standingRuleBankHolidays(year)).toHaveLength(8);
    expect(told).toEqual([year]);
  });

  it('gives 2029 its usual holidays, so deadlines on 1 March 2029 and around Easter 2029 are computed, not refused', () => {
    expect(standingRuleBankHolidays(2029).map((h) => h.date)).toEqual([
      '2029-01-01',
      '2029-03-30',
      '2029-04-02',
      '2029-05-07',
      '2029-05-28',
      '2029-08-27',
      '2029-12-25',
      '2029-12-26',
    ]);
    // Thursday 29 March 2029: Good Friday 30 March and Easter Monday 2 April skipped.
    expect(noteDeadlines(new Date('2029-03-29T09:00:00+01:00'), ENGLAND_AND_WALES)).toEqual({ draftDueOn: '2029-04-09', circulationDueOn: '2029-04-16' });
    expect(noteDeadlines(new Date('2029-03-01T09:00:00Z'), ENGLAND_AND_WALES)).toEqual({ draftDueOn: '2029-03-08', circulationDueOn: '2029-03-15' });
  });

  it('never fails on a date no visit should have (years 0211 and 9999, stored before dates were checked)', () => {
    const told: string[] = [];
    onProvisionalBankHolidays((_year, message) => told.push(message));
    expect(addWorkingDays('0211-05-03', 5)).toMatch(/^0211-05-1\d$/);
    expect(addWorkingDays('9999-12-30', 5)).toMatch(/^10000-01-\d{2}$/);
    expect(told).toHaveLength(3);
    expect(told[0]).toMatch(/year 211 .* cannot be right .* needs correcting/);
  });
});

describe('a working calendar with council closure days', () => {
  it('skips the closure days as it skips weekends and bank holidays, and says why a day is not worked', () => {
    const calendar = new WorkingCalendar([
      { date: '2026-12-29', reason: 'Christmas shutdown' },
      { date: '2026-12-30', reason: 'Christmas shutdown' },
    ]);
    // Tuesday 22 December 2026: 23, 24 | 25 Christmas, 28 Boxing Day substitute, 29-30 closed | 31, 1 Jan bank holiday | 4, 5 January.
    expect(ENGLAND_AND_WALES.addWorkingDays('2026-12-22', 5)).toBe('2026-12-31');
    expect(calendar.addWorkingDays('2026-12-22', 5)).toBe('2027-01-05');
    expect(calendar.nonWorkingReason('2026-12-29')).toEqual({ kind: 'council_closure', reason: 'Christmas shutdown' });
    expect(calendar.nonWorkingReason('2026-12-28')).toMatchObject({ kind: 'bank_holiday', holiday: { title: 'Boxing Day', provisional: false } });
    expect(calendar.nonWorkingReason('2026-12-27')).toEqual({ kind: 'weekend' });
    expect(calendar.nonWorkingReason('2026-12-31')).toBeNull();
    expect(noteDeadlines(new Date('2026-12-22T10:00:00Z'), calendar)).toEqual({ draftDueOn: '2027-01-05', circulationDueOn: '2027-01-12' });
    expect(() => calendar.addWorkingDays('2026-12-22', -1)).toThrow(RangeError);
  });
});

describe('npm run bank-holidays:refresh (scripts/bank-holidays/refresh.mjs)', () => {
  const published = (events: { title: string; date: string; notes?: string; bunting?: boolean }[]) => ({
    'england-and-wales': { division: 'england-and-wales', events: events.map((e) => ({ notes: '', bunting: true, ...e })) },
    scotland: { division: 'scotland', events: [] },
  });
  const current = DATA.events.filter((e) => e.date >= `${LAST_YEAR - 1}-01-01`);
  const nextYear = LAST_YEAR + 1;
  const regular = standingRuleBankHolidays(nextYear).map((h) => ({ title: h.title, date: h.date }));

  it('changes nothing when the published file says what the data says', () => {
    const { data, report } = mergeBankHolidays(DATA, publishedEvents(published(current)), { retrievedOn: '2027-01-05' });
    expect(data.events).toEqual(DATA.events);
    expect(report).toMatchObject({ added: [], changed: [], removed: [] });
    expect(report.kept[0]).toBe(2007);
    expect(data.retrievedOn).toBe('2027-01-05');
  });

  it('adds a new year, moves a holiday, keeps the years the file no longer lists, and reports each', () => {
    // A new year with its early May holiday moved to a Friday, and a one-off in the last listed year.
    const moved = regular.map((e) => (e.title === 'Early May bank holiday' ? { ...e, date: `${nextYear}-05-11`, title: 'Early May bank holiday (moved)' } : e));
    const extra = { title: 'An extra bank holiday', date: `${LAST_YEAR}-06-06`, notes: 'Extra bank holiday' };
    const file = published([...current.filter((e) => e.date >= `${LAST_YEAR}-01-01`), extra, ...moved]);
    const { data, report } = mergeBankHolidays(DATA, publishedEvents(file), { retrievedOn: '2027-01-05' });
    expect(report.added.map((e) => e.date)).toEqual([`${LAST_YEAR}-06-06`, ...moved.map((e) => e.date)].sort());
    expect(report.removed).toEqual([]);
    expect(report.kept).toEqual(Array.from({ length: LAST_YEAR - 2007 }, (_, i) => 2007 + i));
    expect(data.events.filter((e) => e.date < `${LAST_YEAR}-01-01`)).toEqual(DATA.events.filter((e) => e.date < `${LAST_YEAR}-01-01`));
    expect(data.events.map((e) => e.date)).toContain(`${nextYear}-05-11`);
    expect(data.provenance!.at(-1)).toMatchObject({ from: LAST_YEAR, to: nextYear, source: expect.stringContaining('as published on 2027-01-05') });
    expect(describeReport(report).join('\n')).toMatch(/Added 9:[\s\S]*\+ \d{4}-06-06 An extra bank holiday \(Extra bank holiday\)/);

    // Then the government moves it back: the refresh reports the removal and the addition.
    const back = mergeBankHolidays(data, publishedEvents(published([...current.filter((e) => e.date >= `${LAST_YEAR}-01-01`), ...regular])), {
      retrievedOn: '2027-02-01',
    });
    expect(back.report.removed.map((e) => e.date)).toEqual([`${LAST_YEAR}-06-06`, `${nextYear}-05-11`]);
    expect(back.report.added.map((e) => e.date)).toEqual([regular.find((e) => e.title === 'Early May bank holiday')!.date]);
  });

  it('refuses a year that looks incomplete, a malformed file and a repeated date, writing nothing', () => {
    const half = regular.filter((e) => e.date < `${nextYear}-07-01`);
    expect(() => mergeBankHolidays(DATA, publishedEvents(published([...current, ...half])), { retrievedOn: '2027-01-05' })).toThrow(/looks incomplete/);
    expect(() => publishedEvents({ scotland: {} })).toThrow(/no "england-and-wales" division/);
    expect(() => publishedEvents(published([{ title: 'Christmas Day', date: '25/12/2029' }]))).toThrow(/a date as YYYY-MM-DD/);
    expect(() => publishedEvents({ 'england-and-wales': { division: 'england-and-wales', events: [{ title: 'X', date: '2029-01-01', notes: '' }] } })).toThrow(
      /bunting/,
    );
    expect(() => mergeBankHolidays(DATA, [...current, current[0]!], { retrievedOn: '2027-01-05' })).toThrow(/two events on/);
  });
});
