import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvFileName, toCsv } from '../src/shared/ui/csv-export.js';

/** The Teams app's CSV files (shared/ui/csv-export.ts): what a spreadsheet opens, and nothing it would run. */
describe('toCsv', () => {
  const csv = toCsv(
    ['School', 'Note', 'Days'],
    [
      ['Élan Academy', 'Said "good", then left\nearly', 2.5],
      ['=SUM(A1:A9)', '+44 1603 000000', -0.25],
      ['-1 Road', '@mention', null],
      ['\tTabbed', '\rReturned', 0],
    ],
  );

  it('starts with a byte order mark and ends every record with CRLF', () => {
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.split('\r\n')).toHaveLength(6); // five records and the empty text after the last CRLF
  });

  it('quotes as RFC 4180 does: quotes doubled, a line break kept inside quotes', () => {
    expect(csv).toContain('"Said ""good"", then left\nearly"');
    const rows = parse(csv, { bom: true }) as string[][];
    expect(rows[0]).toEqual(['School', 'Note', 'Days']);
    expect(rows[1]).toEqual(['Élan Academy', 'Said "good", then left\nearly', '2.5']);
  });

  it('neutralises text a spreadsheet would run as a formula, and leaves numbers alone', () => {
    const rows = parse(csv, { bom: true, relax_quotes: true }) as string[][];
    expect(rows[2]).toEqual(["'=SUM(A1:A9)", "'+44 1603 000000", '-0.25']);
    expect(rows[3]).toEqual(["'-1 Road", "'@mention", '']);
    expect(rows[4]![0]).toBe("'\tTabbed");
    expect(rows[4]![1]).toBe("'\rReturned");
    expect(rows[4]![2]).toBe('0');
  });
});

describe('csvFileName', () => {
  it('says what and when, in letters a file system takes', () => {
    expect(csvFileName('Visits to St Mary’s C.E. (Aided) Primary', '2027-03-10')).toBe('visits-to-st-mary-s-c-e-aided-primary-2027-03-10.csv');
    expect(csvFileName('Écoles', '2027-03-10')).toBe('ecoles-2027-03-10.csv');
  });
});
