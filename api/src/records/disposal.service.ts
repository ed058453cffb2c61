import { createHash, randomUUID } from 'node:crypto';
import { currentActor } from '../platform/audit/audit-context.js';
import type { Em } from '../platform/db/orm.js';
import { DomainEventKind, recordEvent, type DomainEventInput } from '../platform/events/domain-events.js';
import type { RetentionConfig } from '../platform/retention-config.js';
import { DisposalLog } from './disposal-log.entity.js';
import { cutoffOf, RETENTION_RULES, ruleText, type RetentionRule } from './retention.rules.js';

/** Records of one kind chosen per transaction: small enough to hold few locks for long. */
export const DISPOSAL_BATCH = 200;

export interface DisposalSummary {
  runId: string;
  /** How many records went, by table (children and audit rows included). */
  disposed: Record<string, number>;
}

const csv = (ids: string[]) => ids.join(',');
const digest = (ids: string[]) =>
  createHash('sha256')
    .update([...ids].sort().join('\n'))
    .digest('hex');

/** The entity class name the audit trail records for a table (audit.subscriber.ts writes meta.className). */
function entityTypeOf(tx: Em, table: string): string | null {
  for (const meta of tx.getMetadata().getAll().values()) if (meta.tableName === table && !meta.embeddable) return meta.className;
  return null;
}

async function deleteRows(tx: Em, table: string, column: string, parentIds: string[], parents?: string): Promise<string[]> {
  const ids = `string_to_array(?, ',')::uuid[]`;
  const where = parents ? `"${column}" in (${parents.replace('?', ids)})` : `"${column}" = any(${ids})`;
  const rows = await tx.execute<{ id: string }[]>(`delete from "${table}" where ${where} returning id::text as id`, [csv(parentIds)]);
  return rows.map((r) => r.id);
}

/** The audit rows of disposed records: they repeat what the record said. */
async function deleteAuditTrail(tx: Em, table: string, ids: string[]): Promise<number> {
  const type = entityTypeOf(tx, table);
  if (!type || !ids.length) return 0;
  const rows = await tx.execute<{ id: string }[]>(`delete from audit_event where entity_type = ? and entity_id = any(string_to_array(?, ',')) returning id`, [
    type,
    csv(ids),
  ]);
  return rows.length;
}

/** The records other council systems keep copies of, by table: their disposal is told as a tombstone (platform/events). */
const TOLD_WHEN_DISPOSED: Record<string, { record: string; idOf: (id: string) => Pick<DomainEventInput, 'visitId' | 'noteId'> }> = {
  visit: { record: 'visit', idOf: (id) => ({ visitId: id }) },
  note_of_visit: { record: 'note', idOf: (id) => ({ noteId: id }) },
};

function tellDisposed(tx: Em, gone: Record<string, string[]>, now: Date): void {
  for (const [table, told] of Object.entries(TOLD_WHEN_DISPOSED)) {
    for (const id of gone[table] ?? []) recordEvent(tx, { kind: DomainEventKind.RECORD_DISPOSED, ...told.idOf(id), data: { record: told.record } }, now);
  }
}

/**
 * One batch of one kind, in one transaction: the records past retention (locked, skipping any
 * another run holds), their children, their audit trail, and an entry in the disposal log for
 * each table touched. The log entries are written through the ORM, so the audit subscriber
 * records the disposal itself (who ran it) in the same transaction. Returns the batch's counts.
 */
async function disposeBatch(em: Em, rule: RetentionRule, config: RetentionConfig, now: Date, runId: string): Promise<Record<string, number>> {
  const period = config.schedule[rule.kind];
  const cutoff = cutoffOf(now, period);
  return em.transactional(async (tx) => {
    const due = await tx.execute<{ id: string }[]>(rule.selectDue, [cutoff, DISPOSAL_BATCH]);
    const ids = due.map((r) => String(r.id));
    if (!ids.length) return {};
    const gone: Record<string, string[]> = {};
    const add = (table: string, removed: string[]) => {
      if (removed.length) (gone[table] ??= []).push(...removed);
    };
    for (const child of rule.children) add(child.table, await deleteRows(tx, child.table, child.column, ids, child.parents));
    add(rule.table, await deleteRows(tx, rule.table, 'id', ids));
    const counts: Record<string, number> = {};
    let auditRows = 0;
    const text = ruleText(rule, period);
    const runBy = currentActor().actor;
    tellDisposed(tx, gone, now);
    for (const [table, removed] of Object.entries(gone)) {
      counts[table] = removed.length;
      auditRows += await deleteAuditTrail(tx, table, removed);
      tx.persist(
        Object.assign(new DisposalLog(), {
          runId,
          recordKind: table,
          rule: text,
          count: removed.length,
          idsDigest: digest(removed),
          cutoff,
          disposedAt: now,
          runBy,
        }),
      );
    }
    if (auditRows) {
      counts['audit_event'] = (counts['audit_event'] ?? 0) + auditRows;
      // The audit trail of what went is itself disposed of; its log entry says so without naming it.
      tx.persist(
        Object.assign(new DisposalLog(), {
          runId,
          recordKind: 'audit_event',
          rule: `${text} (the audit trail of the records disposed of)`,
          count: auditRows,
          idsDigest: digest(Object.values(gone).flat()),
          cutoff,
          disposedAt: now,
          runBy,
        }),
      );
    }
    await tx.flush();
    return counts;
  });
}

/**
 * Disposes of everything past its retention at `now` (the business clock), kind by kind in
 * the schedule's order (notes before visits: a visit goes once its note has), batch after
 * batch until a kind has nothing left due (or the server is stopping: each batch is whole, the next run carries on).
 */
export async function disposeExpiredRecords(em: Em, config: RetentionConfig, now: Date, stopping: () => boolean = () => false): Promise<DisposalSummary> {
  const runId = randomUUID();
  const disposed: Record<string, number> = {};
  for (const rule of RETENTION_RULES) {
    // A server shutting down stops between batches (each is whole); the next run carries on.
    while (!stopping()) {
      const counts = await disposeBatch(em.fork() as Em, rule, config, now, runId);
      if (!Object.keys(counts).length) break;
      for (const [table, n] of Object.entries(counts)) disposed[table] = (disposed[table] ?? 0) + n;
    }
  }
  return { runId, disposed };
}
