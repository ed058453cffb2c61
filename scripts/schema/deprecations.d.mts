// Types for deprecations.mjs, imported by the test suite (TypeScript).
import type { GraphQLSchema } from 'graphql';
export interface Deprecation {
  /** `Visit.note`, `Query.visits(filter:)`, `NoteStatus.DRAFT`. */
  coordinate: string;
  reason: string;
  /** The YYYY-MM-DD of "Removal on YYYY-MM-DD." at the end of the reason, or null. */
  removalOn: string | null;
}
export interface ChangelogRelease {
  heading: string;
  /** The heading's YYYY-MM-DD; null for "Unreleased". */
  date: string | null;
  /** Coordinates in backticks under the release's "### Deprecated". */
  deprecated: string[];
}
export declare const MIN_MONTHS: number;
export declare const CHANGELOG_FILE: string;
export declare function deprecationsIn(sdl: string | GraphQLSchema): Deprecation[];
export declare function releasesIn(changelog: string): ChangelogRelease[];
export declare function deprecationProblems(sdl: string, changelog: string, options: { today: string }): string[];
export declare function addMonths(date: string, months: number): string;
