import { createOrm as createOrmFor, ormOptions as ormOptionsFor, type Orm, type OrmOptions } from '../platform/db/orm.js';
import { ENTITIES } from './entities.js';

/** The application's database: the platform's ORM set-up with every module's entities. */
export const createOrm = (options: OrmOptions): Promise<Orm> => createOrmFor(options, ENTITIES);

/** The same options, for a caller that starts MikroORM itself (tests of faults and index builds). */
export const ormOptions = (options: OrmOptions) => ormOptionsFor(options, ENTITIES);
