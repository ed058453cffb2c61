import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from '../platform/logger.js';
import { LIFECYCLE_PATH, NOTIFICATION_PATH, type CalendarSync, type GraphNotification } from './calendar-sync.js';

/** Graph's validation tokens are short opaque strings; anything longer is not one. */
const MAX_VALIDATION_TOKEN = 1024;

/**
 * Where Microsoft Graph posts change and lifecycle notifications of partners' calendars. No
 * sign-in: each notification proves itself by its subscription's clientState (calendar-sync.ts).
 *
 * - Validation: Graph posts `?validationToken=...` when a subscription is created (or its address
 *   checked) and wants it back as text/plain within 10 seconds.
 * - Notifications: answered 202 at once (Graph gives up on a slow address and, if slow often,
 *   drops notifications), then checked and turned into queued jobs.
 */
export function graphNotificationsRouter(sync: CalendarSync, logger: Logger): Router {
  const router = express.Router();
  const log = logger.child({ component: 'calendar-sync' });
  const receive = (handle: (items: GraphNotification[]) => Promise<void>) => (req: Request, res: Response) => {
    const token = req.query.validationToken;
    if (typeof token === 'string') {
      if (token.length === 0 || token.length > MAX_VALIDATION_TOKEN) {
        res.status(400).type('text/plain').send('Bad validation token');
        return;
      }
      res.status(200).type('text/plain').set('x-content-type-options', 'nosniff').send(token);
      return;
    }
    const items: unknown = (req.body as { value?: unknown } | undefined)?.value;
    if (!Array.isArray(items)) {
      res.status(400).type('text/plain').send('Expected a Microsoft Graph notification collection');
      return;
    }
    res.status(202).end();
    handle(items.filter((i): i is GraphNotification => typeof i === 'object' && i !== null)).catch((error: unknown) =>
      // Not lost: the scheduled delta reconciliation reads the mailbox anyway.
      log.error({ err: error }, 'calendar notifications could not be queued; reconciliation will catch up'),
    );
  };
  // Graph posts JSON; validation requests come as text/plain with an empty body.
  const body = express.json({ limit: '1mb', type: ['application/json', 'application/*+json'] });
  router.post(NOTIFICATION_PATH, body, receive(sync.notified));
  router.post(LIFECYCLE_PATH, body, receive(sync.lifecycle));
  return router;
}
