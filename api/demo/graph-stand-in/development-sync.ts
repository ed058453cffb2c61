import { DEVELOPMENT_CLIENT_ID, DEVELOPMENT_CLIENT_SECRET, DEVELOPMENT_TENANT_ID, demoMailboxes } from './development.js';
import { startGraphStandIn, type GraphStandIn } from './graph-stand-in.js';

/**
 * The stand-in Graph as `npm start` runs it: on the port after the API's (4001 by default, where
 * the development Outlook page looks for it), one mailbox per demo partner, and the API's
 * calendar sync and Teams activity-feed notifications pointed at it through the very settings a council gives (plain http is accepted
 * for a stand-in on this machine, outside production: graph-config.ts).
 */
export async function startDevelopmentGraph(env: NodeJS.ProcessEnv): Promise<GraphStandIn> {
  const apiPort = Number(env.PORT ?? 4000);
  // A server on a port of the system's choosing (PORT=0, as tests start it) gets a stand-in on one too.
  const port = apiPort ? apiPort + 1 : 0;
  const standIn = await startGraphStandIn({
    users: demoMailboxes(),
    port,
    tls: false,
    tenantId: DEVELOPMENT_TENANT_ID,
    clientId: DEVELOPMENT_CLIENT_ID,
    clientSecret: DEVELOPMENT_CLIENT_SECRET,
  });
  Object.assign(env, {
    CALENDAR_SYNC: 'push',
    GRAPH_TENANT_ID: standIn.tenantId,
    GRAPH_CLIENT_ID: standIn.clientId,
    GRAPH_CLIENT_SECRET: standIn.clientSecret,
    GRAPH_AUTHORITY_HOST: standIn.url,
    GRAPH_BASE_URL: standIn.url,
    // Notifications bring changes within a second or two; this is the safety net.
    CALENDAR_SYNC_INTERVAL_SECONDS: env.CALENDAR_SYNC_INTERVAL_SECONDS ?? '60',
    // Notifications in the Teams activity feed, through the same app registration (what arrived: /stand-in/activity-notifications).
    NOTIFICATIONS_TEAMS_FEED: env.NOTIFICATIONS_TEAMS_FEED ?? 'on',
  });
  console.log(
    `Stand-in Microsoft Graph for calendar sync and Teams notifications: ${standIn.url}/v1.0 (Outlook's side: ${standIn.url}/stand-in/users; the activity feed: ${standIn.url}/stand-in/activity-notifications)`,
  );
  return standIn;
}
