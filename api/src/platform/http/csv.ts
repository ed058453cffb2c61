import { stringify, type Options } from 'csv-stringify/sync';

/**
 * The byte order mark a CSV file starts with: Excel reads a file without it as Windows-1252
 * (accents garbled); Power BI and other readers skip it.
 */
export const CSV_BOM = '\ufeff';

/**
 * How the API writes CSV (the targets report, the bulk exports): RFC 4180 quoting with CRLF
 * line ends, text a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a
 * carriage return) neutralised with a leading apostrophe (csv-stringify's escape_formulas, as
 * OWASP's "CSV injection" advises, and as the add-in's csv-export.ts does), and true/false
 * written as words rather than csv-stringify's 1 and empty.
 */
const OPTIONS: Options = {
  record_delimiter: 'windows',
  escape_formulas: true,
  cast: { boolean: (value) => (value ? 'true' : 'false') },
};

/** Rows as CSV text (no byte order mark: the caller puts it once, at the start of a file). */
export function csvRows(rows: unknown[][]): string {
  return stringify(rows, OPTIONS);
}
