/**
 * Cursors of our own lists (change order, tombstones): a JSON object, base64url-encoded. An object
 * where the ORM's cursors (connection.ts) are arrays, so one list's cursor is never taken for
 * another's; each list checks the object's shape itself.
 */
export function encodeCursorObject(value: Record<string, string>): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The object a cursor holds, or null when it is not one of ours. */
export function decodeCursorObject(after: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
