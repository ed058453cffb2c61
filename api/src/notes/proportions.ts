/**
 * The agreed words for proportions in a note of visit (DOMAIN.md, from Ofsted's
 * usage in seed 004): 97-100% almost all ... 0-3% almost none; exactly half is "half".
 */
const BANDS: [minimum: number, words: string][] = [
  [97, 'almost all'],
  [80, 'most'],
  [65, 'large majority'],
  [50.5, 'majority'],
  [49.5, 'half'],
  [35, 'minority'],
  [20, 'small minority'],
  [4, 'few'],
  [0, 'almost none'],
];

export function proportionWords(percent: number): string {
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) throw new RangeError('A proportion is a percentage from 0 to 100.');
  // Whole percentages, as the bands are written (64.6% reads as 65%).
  const rounded = Math.round(percent);
  return BANDS.find(([minimum]) => rounded >= minimum)![1];
}
