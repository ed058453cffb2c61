import { createHash } from 'node:crypto';

/** A circulated note that may be drawn: its id, its author and its visit's type. */
export interface SampleCandidate {
  noteId: string;
  partnerId: string;
  visitType: string;
}

export const DEFAULT_PER_PARTNER = 1;
export const MAX_PER_PARTNER = 20;

/** A deterministic stand-in for chance: the same seed and value always give the same rank. */
function rank(seed: string, value: string): string {
  return createHash('sha256').update(`${seed}\u0000${value}`).digest('hex');
}

const byRank =
  <T>(seed: string, key: (t: T) => string) =>
  (a: T, b: T) => {
    const ra = rank(seed, key(a));
    const rb = rank(seed, key(b));
    return ra < rb ? -1 : ra > rb ? 1 : key(a) < key(b) ? -1 : 1;
  };

/**
 * Draws a sample of circulated notes (seed 004 section 19: "reports will be sampled by the SIP
 * Manager"; each partner gets feedback at least once a year):
 * - every partner with a candidate gets `perPartner` notes (all of theirs when they have fewer);
 * - stratified by visit type: a partner's notes are taken one type at a time in turn (the types in
 *   a seeded order, within a type the notes in a seeded order), so a partner with autumn and spring
 *   notes has one of each before a second of either;
 * - reproducible: the order is a hash of the seed and the ids, never Math.random, so the same seed
 *   over the same candidates (in any order) draws the same notes; another seed may draw others.
 * The result is by partner (in id order), then in the order drawn.
 */
export function drawSample(candidates: readonly SampleCandidate[], options: { seed: string; perPartner: number }): SampleCandidate[] {
  const byPartner = new Map<string, Map<string, SampleCandidate[]>>();
  for (const c of candidates) {
    const types = byPartner.get(c.partnerId) ?? new Map<string, SampleCandidate[]>();
    byPartner.set(c.partnerId, types);
    types.set(c.visitType, [...(types.get(c.visitType) ?? []), c]);
  }
  const drawn: SampleCandidate[] = [];
  for (const partnerId of [...byPartner.keys()].sort()) {
    const types = byPartner.get(partnerId)!;
    const queues = [...types.keys()]
      .sort(byRank(options.seed, (type) => `${partnerId}:${type}`))
      .map((type) => [...types.get(type)!].sort(byRank(options.seed, (c) => c.noteId)));
    let taken = 0;
    for (let round = 0; taken < options.perPartner && queues.some((q) => q.length > round); round++) {
      for (const queue of queues) {
        if (taken >= options.perPartner) break;
        const next = queue[round];
        if (next) {
          drawn.push(next);
          taken++;
        }
      }
    }
  }
  return drawn;
}
