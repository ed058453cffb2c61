import 'reflect-metadata';
import { MikroORM, DataloaderType, type Options } from '@mikro-orm/core';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { Migrator } from '@mikro-orm/migrations';
import { PgliteDriver } from '@mikro-orm/pglite';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { AuditSubscriber } from '../audit/audit.subscriber.js';
import type { AppConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { lockEmbeddedDataDir } from './embedded-lock.js';
import { MIGRATIONS } from './migrations/index.js';
import { PinoOrmLogger, type QueryListener } from './orm-logger.js';

export type Orm = MikroORM;
/** The request's entity manager: the same type for PostgreSQL and the embedded PGlite. */
export type Em = SqlEntityManager;

export interface OrmOptions {
  database: AppConfig['database'];
  logger: Logger;
  /** Called with every SQL statement sent (tests count them). */
  onQuery?: QueryListener;
}

/** Every persisted class, listed by the application (app/entities.ts) so discovery works the same from tsc output and from tests. */
export type EntityList = NonNullable<Options['entities']>;

export function ormOptions({ database, logger, onQuery }: OrmOptions, entities: EntityList): Partial<Options> {
  const common: Partial<Options> = {
    entities,
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    subscribers: [new AuditSubscriber()],
    // References and collections resolved in the same tick load in one query each.
    dataloader: DataloaderType.ALL,
    forceUtcTimezone: true,
    ignoreUndefinedInQuery: true,
    loggerFactory: () => new PinoOrmLogger(logger.child({ component: 'orm' }), onQuery),
    debug: false,
    migrations: {
      migrationsList: MIGRATIONS,
      tableName: 'mikro_orm_migrations',
      // migrate.ts hands MikroORM each run's transaction (no timeouts; index builds outside one).
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
    },
  };
  if (database.kind === 'postgresql') {
    return {
      ...common,
      driver: PostgreSqlDriver,
      clientUrl: database.url,
      slowQueryThreshold: 500,
      pool: { min: 0, max: database.poolMax },
      // Chosen from the soak (README, "Reliability"): a save waiting on a locked note gives up after
      // the lock timeout, before the longer statement timeout meant for big reads; a transaction left
      // idle (a bug, or a stuck client of the database) cannot hold note locks for long.
      driverOptions: {
        statement_timeout: database.statementTimeoutMs,
        lock_timeout: Math.min(database.lockTimeoutMs ?? 5_000, database.statementTimeoutMs),
        idle_in_transaction_session_timeout: 60_000,
        connectionTimeoutMillis: database.connectTimeoutMs ?? 5_000,
        application_name: 'school-visits-api',
      },
    };
  }
  return { ...common, driver: PgliteDriver, dbName: database.dataDir };
}

export async function createOrm(options: OrmOptions, entities: EntityList): Promise<Orm> {
  if (options.database.kind !== 'embedded') return MikroORM.init(ormOptions(options, entities));
  // Two processes on one PGlite folder corrupt it: refuse the second (see embedded-lock.ts).
  const lock = lockEmbeddedDataDir(options.database.dataDir);
  let orm: Orm;
  try {
    orm = await MikroORM.init(ormOptions(options, entities));
  } catch (error) {
    lock.release();
    throw error;
  }
  const close = orm.close.bind(orm);
  orm.close = async (force?: boolean) => {
    try {
      await close(force);
    } finally {
      lock.release();
    }
  };
  return orm;
}

/**
 * What read statements and read views need of the ORM: its connection, platform,
 * driver and metadata, never an identity map. The root entity manager serves them,
 * so a request answered from read views alone forks none (forking costs time and
 * builds nothing such a request uses). Any Em is one.
 */
export type ReadDb = Pick<Em, 'getConnection' | 'getPlatform' | 'getDriver' | 'getMetadata' | 'isInTransaction' | 'config'>;

/** The root entity manager as a ReadDb: shared by every request, for statements only. */
export function readDb(orm: Orm): ReadDb {
  return orm.em as Em;
}

/** The request's entity manager, forked when first asked for, then the same one. */
export function lazyEm(newEm: () => Em): () => Em {
  let em: Em | undefined;
  return () => (em ??= newEm());
}

export function requestEm(orm: Orm): Em {
  return orm.em.fork() as Em;
}

/** Applies every committed migration not yet applied, with no timeouts (migrate.ts); returns their names. */
export { migrate } from './migrate.js';

export async function isDatabaseReachable(orm: Orm): Promise<boolean> {
  try {
    await (orm.em.fork() as Em).getConnection().execute('select 1');
    return true;
  } catch {
    return false;
  }
}
