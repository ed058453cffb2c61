import { ref } from '@mikro-orm/core';
import type { App } from '../../src/app/app.js';
import type { Em } from '../../src/platform/db/orm.js';
import { NoteOfVisit } from '../../src/notes/note-of-visit.entity.js';
import { NoteTarget } from '../../src/notes/note-target.entity.js';

/**
 * Tests comparing two ways of reading a note want one with every list filled. The demo
 * county gives targets to autumn notes only, and which notes are among the latest
 * depends on the suite's day (in August they are summer notes; early in the autumn term
 * no autumn note has reviews yet). So when none of `candidates` has reviews and targets,
 * the first with reviews is given two targets, in this test's own copy of the database.
 */
export async function ensureNoteWithReviewsAndTargets(app: App, candidates: { id: string; reviews: unknown[]; targets: unknown[] }[]): Promise<void> {
  if (candidates.some((n) => n.reviews.length && n.targets.length)) return;
  const reviewed = candidates.find((n) => n.reviews.length);
  if (!reviewed) throw new Error('no note among the candidates has reviews: the demo county should give every school several notes');
  const em = app.orm.em.fork() as Em;
  const note = await em.findOneOrFail(NoteOfVisit, { id: reviewed.id });
  const year = app.clock.now().getUTCFullYear() + 1;
  em.persist([
    Object.assign(new NoteTarget(), {
      note: ref(note),
      position: 1,
      keyStage: 'KS2',
      measure: '% achieving the expected standard in reading, writing and maths',
      year,
      value: 68,
    }),
    Object.assign(new NoteTarget(), {
      note: ref(note),
      position: 2,
      keyStage: 'KS2',
      measure: '% achieving the higher standard in reading, writing and maths',
      year,
      value: 12.5,
    }),
  ]);
  await em.flush();
}
