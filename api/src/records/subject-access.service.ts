import { IsolationLevel } from '@mikro-orm/core';
import { AuditEvent } from '../platform/audit/audit-event.entity.js';
import { currentActor } from '../platform/audit/audit-context.js';
import type { Em } from '../platform/db/orm.js';
import { LONG_WORK_MS, mentionsSql, partnerReferences, partnersNamed, termsDigest, textColumns, type PersonTerms } from './person-search.js';

export interface SubjectAccessDocument {
  /** The file's kind and version, so a reader can tell what it holds. */
  format: 'school-visits/subject-access-export@1';
  generatedAt: string;
  searchedFor: { email: string | null; name: string | null };
  /** What the file is, in words, for the person who receives it. */
  explanation: string;
  /** Rows by table, each row as held (column names as in the database). */
  records: Record<string, Record<string, unknown>[]>;
  counts: Record<string, number>;
}

export interface SubjectAccessExport {
  document: SubjectAccessDocument;
  total: number;
}

const EXPLANATION =
  'Every record the school visits service holds that names you: by your email address or your name anywhere in a record ' +
  '(including the history of changes, which keeps what each record said), and, if you are a partner, every record that refers to your account. ' +
  'Records are grouped by the table they are kept in; each row is as stored.';

/**
 * Everything held about a person, as one JSON document (UK GDPR article 15). JSON rather
 * than a Word file: every record, every column, exactly as held, which a council's
 * information governance officer can check, filter, redact and turn into a letter;
 * a Word rendering of thousands of audit rows would be unreadable and lose structure.
 *
 * Read in one repeatable-read transaction (one snapshot across the tables), then audited:
 * who asked, when, how many records, and a digest of the terms (not the terms: the audit
 * trail should not become another record naming the person).
 */
export async function exportSubjectAccess(em: Em, terms: PersonTerms, now: Date): Promise<SubjectAccessExport> {
  const records: Record<string, Record<string, unknown>[]> = {};
  await em.transactional(
    async (tx) => {
      await tx.execute(`set local statement_timeout = ${LONG_WORK_MS}`);
      const seen = new Map<string, Set<string>>();
      const addRows = (table: string, rows: Record<string, unknown>[]) => {
        const ids = seen.get(table) ?? new Set<string>();
        seen.set(table, ids);
        for (const row of rows) {
          const id = String(row.id ?? JSON.stringify(row));
          if (ids.has(id)) continue;
          ids.add(id);
          (records[table] ??= []).push(row);
        }
      };
      for (const t of await textColumns(tx)) {
        const where = mentionsSql(t.columns, terms);
        addRows(t.table, await tx.execute(`select * from "${t.table}" t where ${where.sql} order by 1`, where.params));
      }
      const partnerIds = await partnersNamed(tx, terms);
      if (partnerIds.length) {
        const list = partnerIds.join(',');
        for (const ref of await partnerReferences(tx)) {
          addRows(
            ref.table,
            await tx.execute(`select * from ${ref.table} t where t."${ref.column}" = any(string_to_array(?, ',')::uuid[]) order by 1`, [list]),
          );
        }
        addRows('partner', await tx.execute(`select * from partner where id = any(string_to_array(?, ',')::uuid[])`, [list]));
        // What they did, as the audit trail records it, and changes made to their own record.
        const actors = partnerIds.map((id) => `partner:${id}`).join(',');
        addRows('audit_event', await tx.execute(`select * from audit_event where actor = any(string_to_array(?, ',')) order by id`, [actors]));
        addRows('audit_event', await tx.execute(`select * from audit_event where entity_id = any(string_to_array(?, ',')) order by id`, [list]));
      }
    },
    { isolationLevel: IsolationLevel.REPEATABLE_READ },
  );
  const counts = Object.fromEntries(Object.entries(records).map(([table, rows]) => [table, rows.length]));
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const { actor, requestId } = currentActor();
  const audit = em.fork() as Em;
  audit.persist(
    audit.create(AuditEvent, {
      occurredAt: new Date(),
      actor,
      requestId: requestId ?? null,
      action: 'export',
      entityType: 'SubjectAccessExport',
      entityId: termsDigest(terms),
      changes: { counts, total },
    }),
  );
  await audit.flush();
  const document: SubjectAccessDocument = {
    format: 'school-visits/subject-access-export@1',
    generatedAt: now.toISOString(),
    searchedFor: { email: terms.email, name: terms.name },
    explanation: EXPLANATION,
    records,
    counts,
  };
  return { document, total };
}
