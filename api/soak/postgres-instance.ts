import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * A throw-away PostgreSQL server of the soak's own: initdb into a temporary
 * folder, its own port on loopback, its own socket folder. Stopping and
 * restarting it (a fault the soak injects) disturbs no other cluster.
 *
 * initdb and postgres refuse to run as root, so as root every command runs as
 * the `postgres` user (runuser) and the folder is handed to that user first.
 */
const run = promisify(execFile);

export const POSTGRES_BIN_DIRS = ['/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/17/bin'];

/** The folder holding initdb and pg_ctl, or null: PGBIN wins, then the usual Debian places. */
export function findPostgresBin(): string | null {
  const candidates = [process.env.PGBIN, ...POSTGRES_BIN_DIRS].filter((d): d is string => !!d);
  return candidates.find((dir) => existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl'))) ?? null;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Why a private PostgreSQL cannot be started here, or null when it can. */
export function whyNoPrivatePostgres(): string | null {
  if (!findPostgresBin()) return 'no PostgreSQL server binaries (initdb, pg_ctl) found: set PGBIN or install postgresql';
  if (isRoot() && !existsSync('/usr/sbin/runuser') && !existsSync('/sbin/runuser')) return 'running as root without runuser to drop to the postgres user';
  return null;
}

/** A TCP port nobody listens on right now (the kernel's pick, released again). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export class PostgresInstance {
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly bin: string,
  ) {}

  /** `postgresql://postgres@127.0.0.1:<port>/<database>` */
  url(database = 'postgres'): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  get dataDir(): string {
    return path.join(this.dir, 'data');
  }

  get logFile(): string {
    return path.join(this.dir, 'postgres.log');
  }

  static async create(options: { maxConnections?: number } = {}): Promise<PostgresInstance> {
    const bin = findPostgresBin();
    const why = whyNoPrivatePostgres();
    if (!bin || why) throw new Error(`Cannot start a private PostgreSQL: ${why}`);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sv-soak-pg-'));
    if (isRoot()) {
      const { stdout } = await run('id', ['-u', 'postgres']);
      const { stdout: gid } = await run('id', ['-g', 'postgres']);
      await chown(dir, Number(stdout.trim()), Number(gid.trim()));
    }
    const instance = new PostgresInstance(dir, await freePort(), bin);
    await instance.pg('initdb', ['-D', instance.dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
    instance.settings = [
      '-c',
      `port=${instance.port}`,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${dir}`,
      '-c',
      `max_connections=${options.maxConnections ?? 100}`,
      // Durability as in production: the soak checks that acknowledged writes survive.
      '-c',
      'fsync=on',
      '-c',
      'synchronous_commit=on',
    ];
    await instance.start();
    return instance;
  }

  private settings: string[] = [];

  /** Runs a PostgreSQL binary, as the postgres user when this process is root. */
  private async pg(tool: string, args: string[]): Promise<string> {
    const file = path.join(this.bin, tool);
    const [command, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
    const { stdout } = await run(command, argv, { cwd: this.dir, timeout: 120_000 });
    return stdout;
  }

  /** Starts the server and waits until it accepts connections. */
  async start(): Promise<void> {
    await this.pg('pg_ctl', ['-D', this.dataDir, '-l', this.logFile, '-w', '-t', '60', '-o', this.settings.map(quote).join(' '), 'start']);
  }

  /** A clean shutdown: `fast` rolls back open transactions and disconnects every client. */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await this.pg('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', '-t', '60', 'stop']);
  }

  async isRunning(): Promise<boolean> {
    try {
      await this.pg('pg_ctl', ['-D', this.dataDir, 'status']);
      return true;
    } catch {
      return false;
    }
  }

  /** Stops the server (if running) and removes its folder. */
  async destroy(): Promise<void> {
    if (await this.isRunning()) await this.stop('immediate').catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}

const quote = (arg: string) => (/^[\w./=:,-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`);
