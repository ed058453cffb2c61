import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDevIssuer } from '../src/platform/auth/dev-issuer.js';
import { readDevPeople } from '../src/partners/dev-people-file.js';
import { loadConfig } from '../src/platform/config.js';
import { requestEm } from '../src/platform/db/orm.js';
import { createOrm } from '../src/app/database.js';
import { createLogger } from '../src/platform/logger.js';
import { freePort } from './postgres-instance.js';
import { Ledger, runLoad } from './soak-load.js';
import { SoakRecorder, type Violation } from './soak-recorder.js';
import { prepareCast } from './soak-setup.js';
import { verifyLedger, type Verification } from './soak-verify.js';
import { LOCK_FILE } from '../src/platform/db/embedded-lock.js';
import { ServerProcess, whyNoPidNamespace } from './server-process.js';

/**
 * The embedded database (a PGlite folder) under SIGKILL: a server on the folder
 * saves notes and books visits; it is killed outright in the middle of that,
 * several times, and started again on the same folder each time. At the end the
 * folder is opened once more (in this process) and every acknowledged write is
 * looked up, and every note checked to be whole.
 *
 * Where PID namespaces are allowed, each start is in a new one, as a container's
 * restart is: the server is pid 1 every time, so the folder's lock names the very
 * pid the restarted server has, and must still be recognised as stale.
 */
export interface EmbeddedCrashReport {
  ok: boolean;
  kills: number;
  /** Time to reopen the folder after each kill (spawn to serving). */
  reopenMs: number[];
  /** The pid the folder's lock named after each start (1 each time in a PID namespace). */
  lockPids: number[];
  /** Why the servers ran without PID namespaces, or null when they had them. */
  noPidNamespace: string | null;
  requests: number;
  errorsByCode: Record<string, number>;
  writes: Verification;
  violations: Violation[];
  folder: string;
}

export async function checkEmbeddedCrash(options: {
  /** A prepared PGlite folder (migrated, demo county) to copy; without it one is created (slower). */
  template?: string;
  kills?: number;
  /** How soon after each kill the server must serve again (10 s unless given). */
  recoveryLimitMs?: number;
  log?: (line: string) => void;
}): Promise<EmbeddedCrashReport> {
  const log = options.log ?? (() => undefined);
  const kills = options.kills ?? 3;
  const runId = `crash${Date.now().toString(36)}`;
  const folder = await mkdtemp(path.join(os.tmpdir(), 'sv-embedded-crash-'));
  const dataDir = path.join(folder, 'db');
  if (options.template) await cp(options.template, dataDir, { recursive: true });
  const keyFile = path.join(folder, 'dev-issuer-key.json');
  const recoveryLimitMs = options.recoveryLimitMs ?? 10_000;
  const noPidNamespace = whyNoPidNamespace();
  const lockPid = async () => JSON.parse(await readFile(path.join(dataDir, LOCK_FILE), 'utf8')).pid as number;
  const server = new ServerProcess(
    'embedded',
    await freePort(),
    {
      PATH: process.env.PATH,
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      DATA_DIR: dataDir,
      DEMO_DATA: 'auto',
      GRAPHIQL: 'off',
      DEV_ISSUER_KEY_FILE: keyFile,
      LINK_SIGNING_SECRET: randomBytes(32).toString('hex'),
      RATE_LIMIT_PER_MINUTE: '100000',
    },
    path.join(folder, 'server.log'),
    { pidNamespace: !noPidNamespace },
  );
  let keep = false;
  try {
    log(`embedded database in ${dataDir}${noPidNamespace ? ` (no PID namespaces: ${noPidNamespace})` : ', each start in a new PID namespace'}`);
    await server.start();
    const lockPids = [await lockPid()];
    const issuer = await createDevIssuer(loadConfig({ NODE_ENV: 'development', DEV_ISSUER_KEY_FILE: keyFile }).auth);
    // The server lists who may sign in beside the folder: nothing else may open a folder it holds.
    const everyone = (await readDevPeople(dataDir)) ?? [];
    const target = { name: server.name, url: server.url };
    const { people, manager } = await prepareCast(target, { people: async (role) => everyone.filter((p) => p.role === role) }, issuer, {
      runId,
      partners: 2,
      notesEach: 2,
    });

    const recorder = new SoakRecorder();
    const ledger = new Ledger();
    const roundMs = 3_000;
    const stop = { requested: false };
    const load = runLoad({
      runId,
      targets: () => [target],
      people,
      manager,
      workers: 4,
      deadline: Number.POSITIVE_INFINITY,
      stop,
      recorder,
      ledger,
      thinkMs: 5,
    });
    const reopenMs: number[] = [];
    for (let k = 0; k < kills; k++) {
      await new Promise((r) => setTimeout(r, roundMs * (0.5 + Math.random())));
      const saved = ledger.noteAcks.length;
      const window = recorder.openFault('sigkill (embedded)', { serversDown: [server.name] });
      await server.kill();
      await server.start(recoveryLimitMs);
      reopenMs.push(server.startups.at(-1)!);
      lockPids.push(await lockPid());
      window.endsAt = Date.now() + 1_000;
      log(`  killed with ${saved} saves acknowledged so far; reopened in ${reopenMs.at(-1)} ms as pid ${lockPids.at(-1)}`);
    }
    await new Promise((r) => setTimeout(r, roundMs));
    stop.requested = true;
    await load;
    const stopAt = Date.now();
    const code = await server.terminate();
    const stopMs = Date.now() - stopAt;
    log(`  stopped with SIGTERM in ${stopMs} ms (exit ${code})`);
    // Opened again here, after the server has gone: the folder must open, and hold every acknowledged write.
    const orm = await createOrm({
      database: { kind: 'embedded', dataDir, statementTimeoutMs: 60_000 },
      logger: createLogger({ logLevel: 'silent', env: 'development' }),
    });
    let writes: Verification;
    try {
      writes = await verifyLedger(requestEm(orm), ledger, runId);
    } finally {
      await orm.close(true);
    }
    if (code !== 0) writes.problems.push(`the server exited with ${code} on SIGTERM`);
    const ok = writes.problems.length === 0 && recorder.violations.length === 0 && ledger.noteAcks.length > 0;
    keep = !ok;
    return {
      ok,
      kills,
      reopenMs,
      lockPids,
      noPidNamespace,
      requests: recorder.requests,
      errorsByCode: Object.fromEntries(recorder.byCode),
      writes,
      violations: recorder.violations,
      folder,
    };
  } catch (error) {
    keep = true;
    throw error;
  } finally {
    await server.dispose().catch(() => undefined);
    if (!keep) await rm(folder, { recursive: true, force: true }).catch(() => undefined);
  }
}
