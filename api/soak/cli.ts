/**
 * npm run soak [-- --duration 60 --faults postgres-restart,postgres-restart-busy,row-lock,sigterm,sigkill,smtp-stall
 *                  --workers 10 --pool-max 10 --smtp-stall 65 --skip-embedded --keep]
 * Other server settings come from the environment (DB_STATEMENT_TIMEOUT_MS, DB_LOCK_TIMEOUT_MS...).
 * Runs the soak (see run-soak.ts), prints its summary as JSON and exits 1 when
 * any acknowledged write is missing, anything is half-written, or any answer
 * broke the rules (a 5xx other than SERVICE_UNAVAILABLE during a fault).
 */
import { parseArgs } from 'node:util';
import { ALL_FAULTS, type FaultName } from './soak-faults.js';
import { DEFAULT_SOAK, runSoak } from './run-soak.js';
import { checkEmbeddedCrash } from './embedded-crash.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string' },
    faults: { type: 'string' },
    workers: { type: 'string' },
    'pool-max': { type: 'string' },
    'smtp-stall': { type: 'string' },
    'skip-embedded': { type: 'boolean' },
    keep: { type: 'boolean' },
  },
});
const faults = (
  values.faults === undefined
    ? ALL_FAULTS
    : values.faults
        .split(',')
        .map((f) => f.trim())
        .filter(Boolean)
) as FaultName[];
const unknown = faults.filter((f) => !ALL_FAULTS.includes(f));
if (unknown.length) {
  console.error(`Unknown fault(s): ${unknown.join(', ')}. Known: ${ALL_FAULTS.join(', ')}.`);
  process.exit(2);
}
const log = (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const report = await runSoak({
  ...DEFAULT_SOAK,
  durationMs: Number(values.duration ?? DEFAULT_SOAK.durationMs / 1000) * 1000,
  workers: Number(values.workers ?? DEFAULT_SOAK.workers),
  serverEnv: values['pool-max'] ? { DB_POOL_MAX: values['pool-max'] } : {},
  smtpStallMs: values['smtp-stall'] ? Number(values['smtp-stall']) * 1000 : undefined,
  faults,
  keep: values.keep,
  log,
});
const embedded = values['skip-embedded'] ? null : await checkEmbeddedCrash({ log });
const ok = report.ok && (embedded?.ok ?? true);
console.log(JSON.stringify({ ...report, ok, embeddedCrash: embedded }, null, 2));
log(
  ok
    ? 'soak passed'
    : `soak FAILED: see violations, writes.problems, faults[].problems${embedded && !embedded.ok ? ', embeddedCrash' : ''} (logs kept in ${report.folder})`,
);
process.exit(ok ? 0 : 1);
