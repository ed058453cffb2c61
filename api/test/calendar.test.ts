import { describe, expect, it } from 'vitest';
import { academicYearOf, checkAcademicYear } from '../src/platform/dates/academic-year.js';
import { KENT_TERM_CALENDARS } from '../demo/kent-2009-11.data.js';
import { typicalTermCalendar } from '../demo/term-dates.js';
import { businessDateOf } from '../src/platform/dates/today.js';
import { addWorkingDays, ENGLAND_AND_WALES, isBankHoliday, isWorkingDay } from '../src/platform/dates/working-days.js';
import { noteDeadlines } from '../src/notes/note-deadlines.js';

describe('working days (England and Wales)', () => {
  it.each([
    ['2026-12-24', false], // Thursday, a working day
    ['2026-12-25', true],
    ['2026-12-28', true], // Boxing Day falls on a Saturday: the Monday is the substitute
    ['2027-03-26', true], // Good Friday
    ['2027-05-31', true], // Spring bank holiday
    ['2027-06-01', false],
  ])('%s is a bank holiday: %s', (date, expected) => {
    expect(isBankHoliday(date)).toBe(expected);
  });

  it('skips weekends and bank holidays', () => {
    expect(isWorkingDay('2026-11-21')).toBe(false); // Saturday
    expect(addWorkingDays('2026-11-20', 1)).toBe('2026-11-23'); // Friday → Monday
    // Visit on Tue 22 Dec 2026: Christmas Day and the Boxing Day substitute are not counted...
    expect(addWorkingDays('2026-12-22', 5)).toBe('2026-12-31');
    // ...nor is New Year's Day.
    expect(addWorkingDays('2026-12-22', 6)).toBe('2027-01-04');
    expect(addWorkingDays('2027-03-24', 2)).toBe('2027-03-30'); // across Easter
  });

  it('sets the note deadlines 5 and 10 working days after the visit, by the London date', () => {
    // 23:30 UTC on Sunday 28 March 2027 is already Monday in London (BST).
    expect(businessDateOf(new Date('2027-03-28T23:30:00Z'))).toBe('2027-03-29');
    expect(noteDeadlines(new Date('2026-11-23T09:00:00Z'), ENGLAND_AND_WALES)).toEqual({ draftDueOn: '2026-11-30', circulationDueOn: '2026-12-07' });
  });
});

describe('academic years', () => {
  it.each(['2026-27', '2000-01', '2099-00'])('accepts %s', (y) => expect(checkAcademicYear(y)).toBe(y));
  it.each(['2026', '1999-00', '2100-01', '2026-28', '26-27', '2026/27', ''])('rejects %s with BAD_USER_INPUT', (y) => {
    expect(() => checkAcademicYear(y)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }));
  });
  it('starts in September', () => {
    expect(academicYearOf('2026-08-31')).toBe('2025-26');
    expect(academicYearOf('2026-09-01')).toBe('2026-27');
  });
});

describe('term calendars', () => {
  const calendars = [...KENT_TERM_CALENDARS, typicalTermCalendar(2025), typicalTermCalendar(2026), typicalTermCalendar(2027)];

  it.each(calendars.map((c) => [c.academicYear, c] as const))('%s has six ordered terms, none starting or ending in a holiday', (_year, calendar) => {
    expect(calendar.terms).toHaveLength(6);
    const inHoliday = (date: string) => calendar.holidays.some((h) => h.startsOn <= date && date <= h.endsOn);
    for (const [i, term] of calendar.terms.entries()) {
      expect(term.startsOn <= term.endsOn).toBe(true);
      if (i > 0) expect(calendar.terms[i - 1]!.endsOn < term.startsOn).toBe(true);
      expect(inHoliday(term.startsOn), `${term.name} starts in a holiday`).toBe(false);
      expect(inHoliday(term.endsOn), `${term.name} ends in a holiday`).toBe(false);
    }
    expect(calendar.terms.map((t) => t.season)).toEqual(['autumn', 'autumn', 'spring', 'spring', 'summer', 'summer']);
  });

  it('starts and ends terms on working days', () => {
    for (const calendar of [typicalTermCalendar(2025), typicalTermCalendar(2026)]) {
      for (const term of calendar.terms) {
        expect(isWorkingDay(term.startsOn), term.startsOn).toBe(true);
        expect(isWorkingDay(term.endsOn), term.endsOn).toBe(true);
      }
    }
  });

  it('keeps Kent 2009-10 as the handbook gives it (seed 004 section 5)', () => {
    const kent = KENT_TERM_CALENDARS.find((c) => c.academicYear === '2009-10')!;
    expect(kent.terms[0]).toMatchObject({ startsOn: '2009-09-03', endsOn: '2009-10-23' });
  });
});
