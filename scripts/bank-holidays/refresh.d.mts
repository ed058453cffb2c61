// Types for refresh.mjs, imported by the test suite (TypeScript).
export interface BankHolidayEvent {
  title: string;
  date: string;
  notes: string;
  bunting: boolean;
}
export interface BankHolidayData {
  division: string;
  source: string;
  retrievedOn: string;
  provenance?: { from: number; to: number; source: string }[];
  events: BankHolidayEvent[];
  [key: string]: unknown;
}
export interface MergeReport {
  first: string;
  last: string;
  added: BankHolidayEvent[];
  changed: { was: BankHolidayEvent; now: BankHolidayEvent }[];
  removed: BankHolidayEvent[];
  kept: number[];
}
export declare const PUBLISHED_URL: string;
export declare const DIVISION: string;
export declare const DATA_FILE: string;
export declare function publishedEvents(json: unknown): BankHolidayEvent[];
export declare function mergeBankHolidays(
  data: BankHolidayData,
  published: BankHolidayEvent[],
  options: { retrievedOn: string; source?: string },
): { data: BankHolidayData; report: MergeReport };
export declare function describeReport(report: MergeReport): string[];
