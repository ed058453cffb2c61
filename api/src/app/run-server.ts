import { startApp, type DemoData } from './app.js';
import { clockFrom, systemClock } from '../platform/clock.js';
import { ConfigError, loadConfig } from '../platform/config.js';
import { listenForBackupRequests } from '../platform/db/backup-requests.js';
import { createLogger } from '../platform/logger.js';

/**
 * The server process: configuration, logging, start-up, signals. `api/src/main.ts` runs it as
 * deployed; the demo's entry (`api/demo/main.ts`, what `npm start` runs) passes the demo county.
 */
export async function runServer(options: { demoData?: DemoData; environment?: 'development' } = {}): Promise<void> {
  let config;
  try {
    // NODE_ENV, when set, wins; otherwise production (config.ts) unless the entry asked for development.
    config = loadConfig(options.environment ? { ...process.env, NODE_ENV: process.env.NODE_ENV || options.environment } : process.env);
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  }
  const logger = createLogger(config);

  try {
    const started = Date.now();
    // CLOCK_START (development and test only; config.ts refuses it in production): run as if it were another day.
    if (config.clockStart) logger.warn({ clockStart: config.clockStart.toISOString() }, 'business clock moved by CLOCK_START');
    const clock = config.clockStart ? clockFrom(config.clockStart) : systemClock;
    const app = await startApp(config, logger, { clock, demoData: options.demoData });
    const where = config.database.kind === 'embedded' ? `embedded PostgreSQL in ${config.database.dataDir}` : 'PostgreSQL (DATABASE_URL)';
    logger.info({ url: `${app.server.url}/graphql`, database: where, ms: Date.now() - started }, 'school visits API ready');
    if (config.graphiql) logger.info(`Explorer: ${app.server.url}/graphiql`);
    // npm run backup asks the server for a backup of its embedded database (db/backup-requests.ts).
    const backups = config.database.kind === 'embedded' ? listenForBackupRequests({ orm: app.orm, dataDir: config.database.dataDir, logger }) : null;

    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down: finishing requests in flight');
      try {
        backups?.close();
        await app.stop();
        process.exit(0);
      } catch (error) {
        logger.error({ err: error }, 'error while shutting down');
        process.exit(1);
      }
    };
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
    process.on('SIGINT', () => void shutdown('SIGINT'));
  } catch (error) {
    logger.fatal({ err: error }, 'could not start');
    process.exit(1);
  }
}
