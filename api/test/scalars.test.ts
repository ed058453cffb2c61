import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { describe, expect, it } from 'vitest';
import { DateScalar, DateTimeScalar } from '../src/platform/graphql/scalars.js';

describe('DateTime', () => {
  it('presents instants in Europe/London time with the offset of the day', () => {
    expect(DateTimeScalar.serialize(new Date('2027-01-15T09:30:00Z'))).toBe('2027-01-15T09:30:00+00:00');
    expect(DateTimeScalar.serialize(new Date('2027-06-15T08:30:00Z'))).toBe('2027-06-15T09:30:00+01:00');
  });

  it('accepts RFC 3339 with any offset and refuses a time without one', () => {
    expect(DateTimeScalar.parseValue('2027-06-15T09:30:00+01:00')).toEqual(new Date('2027-06-15T08:30:00Z'));
    expect(() => DateTimeScalar.parseValue('2027-06-15T09:30:00')).toThrow();
    expect(() => DateTimeScalar.parseValue('2027-13-45T09:30:00Z')).toThrow();
  });
});

describe('Date', () => {
  it('keeps calendar dates as YYYY-MM-DD strings', () => {
    expect(DateScalar.parseValue('2027-02-28')).toBe('2027-02-28');
    expect(() => DateScalar.parseValue('2027-02-30')).toThrow();
    expect(() => DateScalar.parseValue('28/02/2027')).toThrow();
  });

  it('writes out only valid dates, however often the same value comes (checked dates are remembered)', () => {
    for (let i = 0; i < 3; i++) {
      expect(DateScalar.serialize('2027-02-28')).toBe('2027-02-28');
      expect(() => DateScalar.serialize('2027-02-30')).toThrow();
      expect(() => DateScalar.serialize('2027-2-28')).toThrow();
    }
  });
});

describe("DateTime's London time", () => {
  it('is what date-fns says for every hour (and the second before it) from 2025 to 2030, across every change of the clocks', () => {
    const differ: string[] = [];
    for (let ms = Date.UTC(2025, 0, 1); ms < Date.UTC(2031, 0, 1); ms += 3_600_000) {
      for (const at of [ms, ms - 1000]) {
        const ours = DateTimeScalar.serialize(new Date(at));
        const theirs = format(new TZDate(at, 'Europe/London'), "yyyy-MM-dd'T'HH:mm:ssxxx");
        if (ours !== theirs) differ.push(`${new Date(at).toISOString()}: ${String(ours)} vs ${theirs}`);
      }
    }
    expect(differ).toEqual([]);
  });
});
