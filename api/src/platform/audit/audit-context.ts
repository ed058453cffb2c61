import { AsyncLocalStorage } from 'node:async_hooks';

/** Who is acting, carried through a request's async work so the audit trail can name them. */
export interface AuditActor {
  actor: string;
  requestId?: string;
}

const storage = new AsyncLocalStorage<AuditActor>();

export function runAs<T>(actor: AuditActor, work: () => T): T {
  return storage.run(actor, work);
}

/** The current actor; changes made outside any request are the system's. */
export function currentActor(): AuditActor {
  return storage.getStore() ?? { actor: 'system' };
}
