/**
 * Joining pieces of text for a reader: the one place documents and pages put a label
 * before a value or one sentence after another. People end their words with a full stop
 * (or not); a join must not add a second one: "…systematic." and "achieved" joined as
 * label and value read "…systematic: achieved", never "…systematic.: achieved"; and
 * "…summer check." followed by "Owner" reads "…summer check. Owner", never "check.. Owner".
 */

/** Trailing punctuation a separator of its own replaces (a question or an ellipsis keeps its mark). */
const SOFT_END = /[\s.,;:]+$/;
const HARD_END = /[!?…]$/;

/** `left` and `right` with `separator` between them, without doubled or clashing punctuation. */
export function joinText(left: string, separator: string, right: string): string {
  const l = left.trim();
  const r = right.trim();
  if (!l) return r;
  if (!r) return l;
  // A separator that starts with punctuation (": ", ". ", ", ") replaces the left's own end mark.
  if (/^[.,;:]/.test(separator)) {
    if (HARD_END.test(l)) return `${l} ${r}`;
    return `${l.replace(SOFT_END, '')}${separator}${r}`;
  }
  return `${l}${separator}${r}`;
}

/** "Label: value", the label's own full stop or colon dropped. */
export const labelled = (label: string, value: string): string => joinText(label, ': ', value);

/** Sentences one after another, each ended by exactly one full stop unless it ends with ? ! or …. */
export function sentences(parts: readonly (string | null | undefined)[]): string {
  const kept = parts.map((p) => (p ?? '').trim()).filter(Boolean);
  if (!kept.length) return '';
  const joined = kept.reduce((out, part) => joinText(out, '. ', part));
  return HARD_END.test(joined) || joined.endsWith('.') ? joined : `${joined}.`;
}
