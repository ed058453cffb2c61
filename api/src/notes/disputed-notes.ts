import type { FilterQuery } from '@mikro-orm/core';
import type { AccessPolicy } from '../platform/auth/access-policy.js';
import type { Em } from '../platform/db/orm.js';
import { NoteOfVisit } from './note-of-visit.entity.js';
import { NoteStatus } from './note.enums.js';

/**
 * Notes the headteacher disputed, waiting for a senior adviser's moderation, the
 * longest waiting first: a manager sees everyone's, a partner their own, a council
 * system none (the notes are not circulated).
 */
export async function disputedNotes(em: Em, access: AccessPolicy): Promise<NoteOfVisit[]> {
  if (access.principal.kind !== 'person') return [];
  const where: FilterQuery<NoteOfVisit> = { status: NoteStatus.DISPUTED };
  if (!access.isManager) where.author = access.principal.partnerId;
  return em.find(NoteOfVisit, where, { orderBy: { headteacherRespondedAt: 'asc', id: 'asc' } });
}
