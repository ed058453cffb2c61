import DataLoader from 'dataloader';
import type { EntityName } from '@mikro-orm/core';
import type { Em } from '../platform/db/orm.js';
import type { Allocation } from '../partners/allocation.entity.js';
import { createAllocationUseLoader } from '../partners/allocation-use.js';
import type { NoteTarget } from '../notes/note-target.entity.js';
import { createSchoolTargetsLoader } from '../notes/school-targets.js';
import { createDeliveriesLoader } from '../notes/note-delivery.resolver.js';
import type { Visit } from '../visits/visit.entity.js';
import { OutboundEmail } from '../mail/outbound-email.entity.js';
import { AccessLink } from '../school-side/access-link.entity.js';
import { SchoolSection } from '../school-side/school-section.entity.js';
import { createWarningsLoader, type VisitWarning } from '../visits/visit-warnings.js';
import { createAgendaLoader, type AgendaRow } from '../visits/agenda-rows.js';

/**
 * Per-request batch loaders for computed fields that MikroORM's own dataloaders
 * (references and collections) do not cover.
 */
export interface RequestLoaders {
  visitWarnings: DataLoader<Visit, VisitWarning[]>;
  allocationDaysSpent: DataLoader<Allocation, number>;
  schoolTargets: DataLoader<string, NoteTarget[]>;
  linksOfVisit: DataLoader<string, AccessLink[]>;
  emailsOfVisit: DataLoader<string, OutboundEmail[]>;
  /** A note's circulation emails, oldest first. */
  deliveriesOfNote: DataLoader<string, OutboundEmail[]>;
  sectionOfVisit: DataLoader<string, SchoolSection[]>;
  agendaOfVisit: DataLoader<string, AgendaRow[]>;
}

/** Rows that belong to visits (by a `visit` relation), for a page of visits in one query. */
function byVisit<T extends { visit?: unknown; createdAt: Date }>(em: Em, entity: EntityName<T>): DataLoader<string, T[]> {
  return new DataLoader(
    async (visitIds) => {
      const rows = await em.find(entity, { visit: { $in: [...visitIds] } } as never, { orderBy: { createdAt: 'desc' } as never });
      return visitIds.map((id) => rows.filter((r) => (r.visit as { id: string } | null)?.id === id));
    },
    { cache: false },
  );
}

export function createRequestLoaders(em: Em): RequestLoaders {
  return {
    visitWarnings: createWarningsLoader(em),
    allocationDaysSpent: createAllocationUseLoader(em),
    schoolTargets: createSchoolTargetsLoader(em),
    linksOfVisit: byVisit(em, AccessLink),
    emailsOfVisit: byVisit(em, OutboundEmail),
    deliveriesOfNote: createDeliveriesLoader(em),
    sectionOfVisit: byVisit(em, SchoolSection),
    agendaOfVisit: createAgendaLoader(em),
  };
}
