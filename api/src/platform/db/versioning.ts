import { conflict } from '../errors.js';

/**
 * Refuses an edit made from a stale copy. The in-memory check gives a clear
 * message; the versioned UPDATE at flush (MikroORM optimistic locking) closes the
 * race between two requests that both passed it.
 */
export function checkVersion(entity: { version: number }, expected: number | null | undefined, what: string): void {
  if (expected === null || expected === undefined) return;
  if (entity.version !== expected) {
    throw conflict(
      `This ${what} has changed since you loaded it (you had version ${expected}, it is now ${entity.version}). Reload it and make your change again.`,
      { currentVersion: entity.version },
    );
  }
}
