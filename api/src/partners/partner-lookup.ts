import { LRUCache } from 'lru-cache';
import type { Em, ReadDb } from '../platform/db/orm.js';
import { Partner } from './partner.entity.js';
import type { FoundPerson, PartnerRole, PersonLookup } from '../platform/auth/principal.js';

type PartnerRow = Record<string, unknown> & { id: string; role: PartnerRole };

/** A partner found for sign-in: who and their role at once, the entity when asked for. */
export interface FoundPartner extends FoundPerson {
  toEntity(): Partner;
}

/**
 * Finds the active partner a person's token names, for every request they send.
 * A person sends many requests in a row (a page and its parts, a list then a note),
 * so each process remembers a found partner's row for `ttlSeconds`: a statement
 * less per request, where each statement is a round trip and a share of the
 * server's time (issue 10). Deactivating a partner or changing their role takes
 * effect within that time. Not-found answers are not remembered: a partner just
 * added can sign in at once.
 *
 * The row is remembered, not the entity: every request gets a Partner of its own
 * entity manager, never one shared between requests, and only if it needs one.
 */
export function createPartnerLookup(ttlSeconds: number, maxEntries = 10_000): PersonLookup {
  const remembered = ttlSeconds > 0 ? new LRUCache<string, PartnerRow>({ max: maxEntries, ttl: ttlSeconds * 1000 }) : null;
  return async function activePartnerByEmail(db: ReadDb, email: string, requestEm: () => Em): Promise<FoundPartner | null> {
    let row = remembered?.get(email);
    if (!row) {
      [row] = await db.getConnection().execute<PartnerRow[]>('select * from partner where email = ? and active = true', [email]);
      if (!row) return null;
      remembered?.set(email, row);
    }
    const found = row;
    return { id: found.id, role: found.role, toEntity: () => requestEm().map(Partner, { ...found } as never) };
  };
}
