// Types for queries.mjs, imported by the test suite (TypeScript).
export declare const PARTNER_VISITS: string;
export declare const FULL_NOTE: string;
export declare const OVERDUE_REPORT: string;
export declare const UPDATE_NOTE: string;
export declare const TYPENAME: string;
