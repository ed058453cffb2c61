import type { EntityName } from '@mikro-orm/core';
import type { Em } from '../db/orm.js';
import { placeWords } from '../error-words.js';
import { badInput, notFound } from '../errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a text has the shape of our ids (UUIDs). */
export const isUuid = (text: string): boolean => UUID.test(text);

/** Rejects an id that cannot be ours before it reaches the database. */
export function checkId(id: string, field = 'id'): string {
  if (!isUuid(id)) {
    const place = field === 'id' ? '' : `${placeWords(field)}: `;
    throw badInput(`${place}"${id.slice(0, 60)}" is not an id this system gives out (ids look like "3f2b8c1e-…"); pick it again from a list.`, field);
  }
  return id.toLowerCase();
}

/** Loads one record by id (with `populate`, joined in the same statement), or fails with NOT_FOUND naming the type. */
export async function findOr404<T extends object>(
  em: Em,
  entity: EntityName<T>,
  typeName: string,
  id: string,
  field = 'id',
  populate: string[] = [],
): Promise<T> {
  const found = await em.findOne(entity, { id: checkId(id, field) } as never, populate.length ? { populate: populate as never, strategy: 'joined' } : {});
  if (!found) throw notFound(typeName, id);
  return found as T;
}
