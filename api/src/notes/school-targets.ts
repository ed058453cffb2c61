import DataLoader from 'dataloader';
import type { Em } from '../platform/db/orm.js';
import { NoteTarget } from './note-target.entity.js';

/** Targets recorded in each school's notes, for a page of schools in one query. */
export function createSchoolTargetsLoader(em: Em): DataLoader<string, NoteTarget[]> {
  return new DataLoader(
    async (schoolIds) => {
      const targets = await em.find(
        NoteTarget,
        { note: { visit: { school: { $in: [...schoolIds] } } } },
        { populate: ['note', 'note.visit'], orderBy: { year: 'desc', keyStage: 'asc', position: 'asc' } },
      );
      return schoolIds.map((id) => targets.filter((t) => t.note.getEntity().visit.getEntity().school.id === id));
    },
    { cache: false },
  );
}
