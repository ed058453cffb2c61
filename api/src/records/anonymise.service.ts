import { AuditEvent } from '../platform/audit/audit-event.entity.js';
import { currentActor } from '../platform/audit/audit-context.js';
import type { Em } from '../platform/db/orm.js';
import { LONG_WORK_MS, mentionsSql, namePattern, termsDigest, textColumns, type PersonTerms } from './person-search.js';

/** Who the person was, for the pseudonym: "Former headteacher 1a2b". */
export type FormerRole = 'headteacher' | 'governor' | 'partner' | 'contact';

export interface Anonymisation {
  pseudonym: string;
  pseudonymEmail: string;
  /** Rows changed, by table. */
  changed: Record<string, number>;
  /** Rows that still name the person after the change (0 unless a name sits where it cannot be replaced safely, e.g. escaped inside JSON). */
  remaining: number;
}

/**
 * The pseudonym is the same every time for the same person (a digest of their address, or
 * name), so a person anonymised in two steps, or named in records added later and anonymised
 * again, reads as one person throughout; four hex digits say nothing about who it was.
 */
export function pseudonymFor(terms: PersonTerms, role: FormerRole): { name: string; email: string } {
  const tag = termsDigest({ email: terms.email, name: terms.email ? null : terms.name }).slice(0, 4);
  return { name: `Former ${role} ${tag}`, email: `former-${role}-${tag}@anonymised.invalid` };
}

const escapeRegex = (text: string) => text.replace(/[.^$*+?()[\]{}|\\-]/g, '\\$&');

/**
 * Replaces a person's name and address, wherever a record holds them, by a stable pseudonym,
 * where the record itself must stay (a note of visit the council keeps, the audit trail of it).
 * Every text and JSON column of every table (person-search.ts), the audit trail included; in one
 * transaction with its audit row, which records the pseudonym and how many rows of each table
 * changed, never the name. A record with a version (a note, a visit) gets a new one, so an edit
 * started before, that would write the old name back, is refused as stale.
 */
export async function anonymisePerson(em: Em, terms: PersonTerms, role: FormerRole): Promise<Anonymisation> {
  const pseudonym = pseudonymFor(terms, role);
  return em.transactional(async (tx) => {
    // Every text column of every table, the audit trail included: longer than a request's statement limit allows on a large database.
    await tx.execute(`set local statement_timeout = ${LONG_WORK_MS}`);
    const changed: Record<string, number> = {};
    const tables = await textColumns(tx);
    for (const t of tables) {
      const sets: string[] = [];
      const params: string[] = [];
      for (const c of t.columns) {
        let expr = `"${c.name}"${c.json ? '::text' : ''}`;
        if (terms.email) {
          expr = `regexp_replace(${expr}, ?, ?, 'gi')`;
          params.push(escapeRegex(terms.email), pseudonym.email);
        }
        if (terms.name) {
          expr = `regexp_replace(${expr}, ?, ?, 'gi')`;
          params.push(namePattern(terms.name), pseudonym.name);
        }
        sets.push(`"${c.name}" = ${c.json ? `(${expr})::${c.type}` : expr}`);
      }
      if (t.hasVersion) sets.push('"version" = "version" + 1');
      const where = mentionsSql(t.columns, terms, `"${t.table}"`);
      const rows = await tx.execute<{ id: unknown }[]>(`update "${t.table}" set ${sets.join(', ')} where ${where.sql} returning 1 as id`, [
        ...params,
        ...where.params,
      ]);
      if (rows.length) changed[t.table] = rows.length;
    }
    let remaining = 0;
    for (const t of await textColumns(tx)) {
      const where = mentionsSql(t.columns, terms);
      const [row] = await tx.execute<{ n: string }[]>(`select count(*) as n from "${t.table}" t where ${where.sql}`, where.params);
      remaining += Number(row?.n ?? 0);
    }
    const { actor, requestId } = currentActor();
    tx.persist(
      tx.create(AuditEvent, {
        occurredAt: new Date(),
        actor,
        requestId: requestId ?? null,
        action: 'anonymise',
        entityType: 'Person',
        entityId: pseudonym.name,
        changes: { pseudonym: pseudonym.name, pseudonymEmail: pseudonym.email, changed, remaining, termsDigest: termsDigest(terms) },
      }),
    );
    await tx.flush();
    return { pseudonym: pseudonym.name, pseudonymEmail: pseudonym.email, changed, remaining };
  });
}
