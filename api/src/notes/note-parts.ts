import type { NoteOfVisit } from './note-of-visit.entity.js';

/** Everything in a note besides its own fields, loaded together (for snapshots and documents). */
export async function loadNoteParts(note: NoteOfVisit) {
  const [judgements, findings, recommendations, reviews, targets, distribution] = await Promise.all([
    note.judgements.load(),
    note.findings.load(),
    note.recommendations.load(),
    note.reviews.load({ populate: ['recommendation'] }),
    note.targets.load(),
    note.distribution.load(),
  ]);
  return {
    judgements: judgements.getItems(),
    findings: findings.getItems(),
    recommendations: recommendations.getItems(),
    reviews: reviews.getItems(),
    targets: targets.getItems(),
    distribution: distribution.getItems(),
  };
}
