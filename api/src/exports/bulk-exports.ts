import type { BulkExport } from './export-plan.js';
import { judgementsExport, recommendationsExport, targetsExport } from './note-record-exports.js';
import { schoolsExport } from './school-export.js';
import { visitsExport } from './visit-export.js';

/** Every bulk export (docs/api.md, "Bulk export"): /exports/<name>.csv and /exports/<name>.ndjson. */
export const BULK_EXPORTS: readonly BulkExport[] = [schoolsExport, visitsExport, judgementsExport, recommendationsExport, targetsExport];
