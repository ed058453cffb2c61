import DataLoader from 'dataloader';
import type { Em } from '../platform/db/orm.js';
import type { AgendaItem } from './agenda-item.entity.js';
import type { AgendaOwnerRole } from './visit.enums.js';

/** What the AgendaItem GraphQL type shows, as a plain read-only object. */
export type AgendaRow = Pick<AgendaItem, 'id' | 'createdAt' | 'updatedAt' | 'position' | 'title' | 'detail' | 'ownerRole' | 'minutes'>;

/** An agenda_item row as PostgreSQL sends it. */
interface AgendaItemRecord {
  id: string;
  created_at: Date;
  updated_at: Date;
  visit_id: string;
  position: number;
  title: string;
  detail: string | null;
  owner_role: string;
  minutes: number | null;
}

/**
 * The agendas of a page of visits in one statement, as plain objects rather than
 * managed entities: a page of visits has several items per visit, and building that
 * many entities (identity map, per-instance property accessors, change-tracking
 * snapshots) was the largest single cost of a visit list in the benchmark's profile. The AgendaItem type has
 * only plain fields, so nothing downstream needs an entity. Only for reading: the
 * resolver uses the visit's collection instead when this request has loaded it
 * (e.g. a mutation that just changed the agenda).
 */
export function createAgendaLoader(em: Em): DataLoader<string, AgendaRow[]> {
  return new DataLoader(
    async (visitIds) => {
      const rows = await em.getConnection().execute<AgendaItemRecord[]>(
        `select id, created_at, updated_at, visit_id, position, title, detail, owner_role, minutes from agenda_item
           where visit_id in (${visitIds.map(() => '?').join(', ')}) order by position`,
        [...visitIds],
      );
      const byVisit = new Map<string, AgendaRow[]>(visitIds.map((id) => [id, []]));
      for (const r of rows) {
        byVisit.get(r.visit_id)?.push({
          id: r.id,
          createdAt: r.created_at instanceof Date ? r.created_at : new Date(r.created_at),
          updatedAt: r.updated_at instanceof Date ? r.updated_at : new Date(r.updated_at),
          position: r.position,
          title: r.title,
          detail: r.detail,
          ownerRole: r.owner_role as AgendaOwnerRole,
          minutes: r.minutes,
        });
      }
      return visitIds.map((id) => byVisit.get(id)!);
    },
    { cache: false },
  );
}
