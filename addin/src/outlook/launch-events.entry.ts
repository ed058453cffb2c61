import { startSession } from '../shared/session.js';
import { registerLaunchEvents } from './launch-events.js';
import type { OfficeApi } from './office-api.js';

/**
 * Built as /addin/static/launch-events.js: the event-based activation runtime.
 * Outlook on the web and the new Outlook load it from launch-events.html (with
 * Office.js); classic Outlook on Windows runs this file alone, in its JavaScript
 * runtime, where Office is already defined.
 */
const office = (globalThis as { Office?: OfficeApi }).Office;
if (office) {
  let session: ReturnType<typeof startSession> | null = null;
  registerLaunchEvents(office, async () => (await (session ??= startSession())).api);
}
