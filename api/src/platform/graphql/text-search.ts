/** Escapes LIKE wildcards so a user's text matches literally. */
export function escapeLike(text: string): string {
  return text.trim().replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A user's search text as a case-insensitive "contains" pattern. */
export function containsPattern(text: string): string {
  return `%${escapeLike(text)}%`;
}
