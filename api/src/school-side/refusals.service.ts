import { AuditEvent } from '../platform/audit/audit-event.entity.js';
import type { Em } from '../platform/db/orm.js';
import type { LinkProblem } from './links.service.js';

/** Why a request to the school's pages was turned away. */
export type Refusal = LinkProblem | 'not_shared' | 'rate_limited' | 'form' | 'bad_request';

export interface RefusedAttempt {
  refused: Refusal;
  /** The link, when the token named one of ours with a good signature; never the token itself. */
  linkId: string | null;
  /** The page asked for (its purpose), when the request got that far. */
  purpose: string | null;
  /** The client's address as the server sees it (req.ip, TRUST_PROXY). */
  address: string | null;
  requestId: string | null;
  /** The HTTP method and status answered, and any detail worth keeping (never a secret). */
  method: string;
  status: number;
  detail?: string;
}

/**
 * Records a refused attempt on the school's pages as an audit row of its own (there is
 * nothing else to save with it): who (the link if known, otherwise "anonymous"), what was
 * refused and from which address, so a guessing script or a leaked link shows in the trail.
 */
export async function recordRefusal(em: Em, attempt: RefusedAttempt): Promise<void> {
  const event = Object.assign(new AuditEvent(), {
    occurredAt: new Date(),
    actor: attempt.linkId ? `link:${attempt.linkId}` : 'anonymous',
    requestId: attempt.requestId,
    action: 'refuse',
    entityType: 'AccessLink',
    entityId: attempt.linkId ?? '',
    changes: {
      refused: attempt.refused,
      purpose: attempt.purpose,
      address: attempt.address,
      method: attempt.method,
      status: attempt.status,
      ...(attempt.detail ? { detail: attempt.detail } : {}),
    },
  });
  await em.persist(event).flush();
}
