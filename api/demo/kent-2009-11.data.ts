/**
 * Kent school term and holiday dates, academic years 2009-10 and 2010-11.
 *
 * Source: seed 004 (Kent Improvement Partner Handbook 2009-2010), section 5 "School
 * term and holiday dates". Every date below is as the document gives it, and every
 * weekday the document prints has been checked against the calendar (all match).
 *
 * - Term names are the document's own ("Term 1" ... "Term 6"); the handbook plans
 *   visits by these numbers (e.g. "Spring Visit: Terms 3 or 4"). Terms 1-2 are autumn
 *   (Autumn 1 and 2), 3-4 spring, 5-6 summer.
 * - Holidays are listed explicitly in the document (not derived from gaps). Their
 *   ranges are printed without a year; the year is added here. Holiday ranges run
 *   weekday to weekday as printed, so the weekends at either end are not included.
 * - The only bank holiday the document lists is the Early May Bank Holiday, which falls
 *   inside Term 5; it is kept as a one-day holiday. Other bank holidays (Christmas,
 *   New Year, Easter, late May, August) fall inside the listed holidays. The document
 *   lists no INSET (training) days; these are set by each school.
 * - Oddities, all verbatim: Term 1 of 2009-10 starts on a Thursday; Term 4 of 2009-10
 *   ends on Thursday 1 April 2010 (the day before Good Friday); the 2010-11 Christmas
 *   holiday ends on Monday 3 January 2011 and the April holiday on Monday 25 April 2011
 *   (both bank holidays), so Terms 3 and 5 of 2010-11 start on a Tuesday.
 */

export interface TermSeed {
  /** e.g. 'Term 1' */
  name: string;
  season: 'autumn' | 'spring' | 'summer';
  /** ISO date, inclusive */
  startsOn: string;
  /** ISO date, inclusive */
  endsOn: string;
}

export interface HolidaySeed {
  /** e.g. 'Autumn Holiday', 'Christmas/New Year Holiday' */
  name: string;
  /** ISO date, inclusive */
  startsOn: string;
  /** ISO date, inclusive */
  endsOn: string;
}

export interface TermCalendarSeed {
  /** '2009-10' */
  academicYear: string;
  terms: TermSeed[];
  holidays: HolidaySeed[];
}

export const KENT_TERM_CALENDARS: readonly TermCalendarSeed[] = [
  {
    academicYear: '2009-10',
    terms: [
      { name: 'Term 1', season: 'autumn', startsOn: '2009-09-03', endsOn: '2009-10-23' }, // Thu - Fri
      { name: 'Term 2', season: 'autumn', startsOn: '2009-11-02', endsOn: '2009-12-18' }, // Mon - Fri
      { name: 'Term 3', season: 'spring', startsOn: '2010-01-04', endsOn: '2010-02-12' }, // Mon - Fri
      { name: 'Term 4', season: 'spring', startsOn: '2010-02-22', endsOn: '2010-04-01' }, // Mon - Thu
      { name: 'Term 5', season: 'summer', startsOn: '2010-04-19', endsOn: '2010-05-28' }, // Mon - Fri
      { name: 'Term 6', season: 'summer', startsOn: '2010-06-07', endsOn: '2010-07-23' }, // Mon - Fri
    ],
    holidays: [
      { name: 'Autumn Holiday', startsOn: '2009-10-26', endsOn: '2009-10-30' }, // Mon - Fri
      { name: 'Christmas/New Year Holiday', startsOn: '2009-12-21', endsOn: '2010-01-01' }, // Mon - Fri
      { name: 'February Holiday', startsOn: '2010-02-15', endsOn: '2010-02-19' }, // Mon - Fri
      { name: 'April Holiday', startsOn: '2010-04-02', endsOn: '2010-04-16' }, // Fri - Fri
      { name: 'Early May Bank Holiday', startsOn: '2010-05-03', endsOn: '2010-05-03' }, // Mon
      { name: 'Late Spring Holiday', startsOn: '2010-05-31', endsOn: '2010-06-04' }, // Mon - Fri
      { name: 'Summer Holiday', startsOn: '2010-07-26', endsOn: '2010-08-31' }, // Mon - Tue
    ],
  },
  {
    academicYear: '2010-11',
    terms: [
      { name: 'Term 1', season: 'autumn', startsOn: '2010-09-01', endsOn: '2010-10-22' }, // Wed - Fri
      { name: 'Term 2', season: 'autumn', startsOn: '2010-11-01', endsOn: '2010-12-17' }, // Mon - Fri
      { name: 'Term 3', season: 'spring', startsOn: '2011-01-04', endsOn: '2011-02-18' }, // Tue - Fri
      { name: 'Term 4', season: 'spring', startsOn: '2011-02-28', endsOn: '2011-04-08' }, // Mon - Fri
      { name: 'Term 5', season: 'summer', startsOn: '2011-04-26', endsOn: '2011-05-27' }, // Tue - Fri
      { name: 'Term 6', season: 'summer', startsOn: '2011-06-06', endsOn: '2011-07-22' }, // Mon - Fri
    ],
    holidays: [
      { name: 'Autumn Holiday', startsOn: '2010-10-25', endsOn: '2010-10-29' }, // Mon - Fri
      { name: 'Christmas/New Year Holiday', startsOn: '2010-12-20', endsOn: '2011-01-03' }, // Mon - Mon
      { name: 'February Holiday', startsOn: '2011-02-21', endsOn: '2011-02-25' }, // Mon - Fri
      { name: 'April Holiday', startsOn: '2011-04-11', endsOn: '2011-04-25' }, // Mon - Mon
      { name: 'Early May Bank Holiday', startsOn: '2011-05-02', endsOn: '2011-05-02' }, // Mon
      { name: 'Late Spring Holiday', startsOn: '2011-05-30', endsOn: '2011-06-03' }, // Mon - Fri
      { name: 'Summer Holiday', startsOn: '2011-07-25', endsOn: '2011-08-31' }, // Mon - Wed
    ],
  },
];
