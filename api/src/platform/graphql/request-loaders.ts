import DataLoader from 'dataloader';
import type { EntityName } from '@mikro-orm/core';
import type { Em } from '../db/orm.js';

/** Makes one request's batch loader from its entity manager; each module defines its own. */
export type LoaderFactory<T> = (em: Em) => T;

/**
 * Per-request batch loaders for computed fields that MikroORM's own dataloaders
 * (references and collections) do not cover. A resolver asks for the loader its
 * module defines (`loaders.get(createAgendaLoader)`); the first ask in a request
 * makes it, later asks in the same request share it, so a page's rows batch.
 */
export class RequestLoaders {
  private readonly made = new Map<LoaderFactory<unknown>, unknown>();

  constructor(private readonly em: () => Em) {}

  get<T>(factory: LoaderFactory<T>): T {
    if (!this.made.has(factory)) this.made.set(factory, factory(this.em()));
    return this.made.get(factory) as T;
  }
}

/**
 * A loader of the rows that belong to a parent through a many-to-one relation (`parent`,
 * e.g. a visit's emails by `visit`), newest first: one query for a page of parents.
 */
export function rowsByParent<T extends { createdAt: Date }>(entity: EntityName<T>, parent: keyof T & string): LoaderFactory<DataLoader<string, T[]>> {
  return (em) =>
    new DataLoader(
      async (parentIds) => {
        const rows = await em.find(entity, { [parent]: { $in: [...parentIds] } } as never, { orderBy: { createdAt: 'desc' } as never });
        return parentIds.map((id) => rows.filter((r) => (r[parent] as { id: string } | null)?.id === id));
      },
      { cache: false },
    );
}
