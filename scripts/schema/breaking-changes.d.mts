// Types for breaking-changes.mjs, imported by the test suite (TypeScript).
export interface ContractChange {
  /** graphql-js's BreakingChangeType or DangerousChangeType. */
  type: string;
  /** What changed: `Visit.note`, `NoteStatus.DRAFT`, `Query.visits(filter:)`, a type name. */
  coordinate: string;
  /** graphql-js's own description. */
  description: string;
  /** The change named, why it matters and what to do instead. */
  message: string;
}
export interface ContractChanges {
  breaking: ContractChange[];
  dangerous: ContractChange[];
  /** Coordinates of new types, fields, arguments and enum values. */
  added: string[];
  /** Removals of what the released contract deprecated, on or after its removal date (not breaking). */
  retired: ContractChange[];
}
export interface ContractNames {
  released?: string;
  current?: string;
}
export interface GitContractRef {
  label: string;
  commit: string;
  sdl: string;
}
export declare const REPO_ROOT: string;
export declare const RELEASED_FILE: string;
export declare const CURRENT_FILE: string;
export declare function findContractChanges(releasedSdl: string, currentSdl: string, names?: ContractNames, options?: { today?: string }): ContractChanges;
export declare function breakingChanges(releasedSdl: string, currentSdl: string, names?: ContractNames): ContractChange[];
export declare function formatContractReport(changes: ContractChanges, against: string): string;
export declare function contractRefsFromGit(options?: { cwd?: string; file?: string }): { refs: GitContractRef[]; notes: string[] };
