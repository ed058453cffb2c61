import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import path from 'node:path';

/**
 * One compiled API server (api/dist/demo/main.js, what `npm start` runs: the API with the demo county) as a child
 * process on a port chosen beforehand, so the soak can SIGTERM or SIGKILL it and
 * start it again on the same address. Its output goes to a log file.
 */
export const MAIN_JS = path.resolve('api/dist/demo/main.js');

/** Why servers cannot be started in PID namespaces here (unshare needs root or user namespaces), or null. */
export function whyNoPidNamespace(): string | null {
  const tried = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true'], { encoding: 'utf8' });
  return tried.status === 0 ? null : `unshare --pid failed: ${(tried.error?.message ?? tried.stderr).trim()}`;
}

export class ServerProcess {
  private child: ChildProcess | null = null;
  private log: WriteStream | null = null;
  private exit: Promise<number | null> = Promise.resolve(null);
  /** Wall-clock start-up times (spawn to /healthz answering), in ms. */
  readonly startups: number[] = [];

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
    private readonly logFile: string,
    /**
     * Start each time in a new PID namespace (`unshare`), where the server is pid 1, as in a
     * container: a restart after a crash gets the very pid the crashed server had.
     */
    private readonly options: { pidNamespace?: boolean } = {},
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the server and waits until /healthz answers (at most `timeoutMs`). */
  async start(timeoutMs = 120_000): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running`);
    const started = Date.now();
    this.log ??= createWriteStream(this.logFile, { flags: 'a' });
    const env = { ...machineClock(), ...this.env, PORT: String(this.port), HOST: '127.0.0.1' };
    const child = this.options.pidNamespace
      ? spawn('unshare', ['--pid', '--fork', '--mount-proc', '--kill-child', process.execPath, MAIN_JS], { env, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(process.execPath, [MAIN_JS], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout!.pipe(this.log, { end: false });
    child.stderr!.pipe(this.log, { end: false });
    this.exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    while (Date.now() - started < timeoutMs) {
      if (!this.running) throw new Error(`${this.name} exited with ${child.exitCode ?? child.signalCode} while starting; see ${this.logFile}`);
      try {
        const res = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(2_000) });
        if (res.ok) {
          this.startups.push(Date.now() - started);
          return;
        }
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    child.kill('SIGKILL');
    throw new Error(`${this.name} did not answer /healthz within ${timeoutMs} ms; see ${this.logFile}`);
  }

  /** Sends SIGTERM and resolves with the exit code once the process has gone. */
  async terminate(timeoutMs = 60_000): Promise<number | null> {
    if (!this.running) return this.exit;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), timeoutMs);
    try {
      return await this.exit;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Kills the process outright: no drain, no pool close, nothing flushed. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.signal('SIGKILL');
    await this.exit;
  }

  /**
   * Signals the server itself: in a PID namespace, the process `unshare` forked (signalled from
   * outside, so even pid 1 gets it), and `unshare` exits with its status; else the child.
   */
  private signal(name: NodeJS.Signals): void {
    const pid = this.child!.pid!;
    if (this.options.pidNamespace) {
      let inner = 0;
      try {
        inner = Number(readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0]);
      } catch {
        // unshare has gone already
      }
      if (inner) {
        process.kill(inner, name);
        return;
      }
    }
    this.child!.kill(name);
  }

  /** Stops it whichever way works, and closes the log. */
  async dispose(): Promise<void> {
    if (this.running) await this.terminate(20_000);
    await new Promise<void>((resolve) => (this.log ? this.log.end(() => resolve()) : resolve()));
    this.log = null;
  }
}

/**
 * What moves this process's clock, passed on to the servers: a run under libfaketime
 * (LD_PRELOAD, FAKETIME...) must move theirs too, or they refuse the harness's tokens
 * as issued in the future.
 */
function machineClock(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => name === 'LD_PRELOAD' || name.startsWith('FAKETIME')));
}
