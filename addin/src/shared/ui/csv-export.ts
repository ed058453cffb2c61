import { stringify } from 'csv-stringify/browser/esm/sync';

/** One cell of a CSV file: a number stays a number (a spreadsheet sums it); empty is an empty cell. */
export type CsvValue = string | number | null | undefined;

/**
 * A table as a spreadsheet reads it: UTF-8 with a byte order mark (Excel otherwise reads
 * accents as Windows-1252), CRLF line ends and RFC 4180 quoting (csv-stringify's), and text
 * that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage
 * return) neutralised with a leading apostrophe (csv-stringify's escape_formulas, as OWASP's
 * "CSV injection" advises): a school name or a headteacher's words are data, never a formula.
 * Numbers are left as they are, so a negative number stays a number.
 */
export function toCsv(header: string[], rows: CsvValue[][]): string {
  return stringify([header, ...rows.map((row) => row.map((v) => (v === null || v === undefined ? '' : v)))], {
    bom: true,
    record_delimiter: 'windows',
    escape_formulas: true,
  });
}

/** "late-notes" and a day → "late-notes-2027-03-10.csv": what the file holds and when it was taken. */
export function csvFileName(what: string, day: string): string {
  const slug =
    what
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'table';
  return `${slug}-${day}.csv`;
}

/** Hands the file to the browser's downloads (Teams and Outlook on the web do the same with a link's download). */
export function downloadCsv(fileName: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // the download has its own copy once it starts; the address is let go afterwards
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
