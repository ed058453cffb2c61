import { z } from 'zod';
import { graphSettingsFromEnv, type GraphEnv, type GraphSettings } from './graph/graph-config.js';

/**
 * Notifications' settings (issue 22; the notifications module tells people what happened). Safe by
 * default: without NOTIFICATIONS_TEAMS_FEED=on everything goes by email through the outbox, and nothing
 * is sent to Microsoft Graph. With it on, the council's Graph app registration (GRAPH_TENANT_ID,
 * GRAPH_CLIENT_ID and its secret or certificate, as calendar sync uses) sends Teams activity-feed
 * notifications, which needs the application permission TeamsActivity.Send; email stays the fallback.
 */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The Teams app's id in addin/teams/manifest.json (`id`): what deep links name unless the council publishes it under another. */
export const TEAMS_MANIFEST_APP_ID = '3d0b6a52-7c1e-4f4e-9a57-5c2f8e1b6d10';

export const NOTIFICATIONS_ENV = {
  NOTIFICATIONS: z.enum(['on', 'off']).default('on'),
  NOTIFICATIONS_TEAMS_FEED: z.enum(['on', 'off']).default('off'),
  NOTIFICATIONS_TEAMS_APP_ID: z.string().regex(GUID, "must be the Teams app's id (a GUID, the manifest's id)").optional(),
  // How often the domain events and the deadlines are looked at (one instance per turn).
  NOTIFICATIONS_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  NOTIFICATIONS_DIGEST: z.enum(['on', 'off']).default('on'),
};

export interface NotificationsConfig {
  /** Off: no notification and no digest is made (the council tells people its own way). */
  enabled: boolean;
  /** The Teams activity feed through Graph; null: email only. */
  teamsFeed: { graph: GraphSettings; teamsAppId: string } | null;
  intervalSeconds: number;
  /** The weekly digest by email, Monday morning London time. */
  digest: boolean;
}

type NotificationsEnv = GraphEnv & {
  NOTIFICATIONS: 'on' | 'off';
  NOTIFICATIONS_TEAMS_FEED: 'on' | 'off';
  NOTIFICATIONS_TEAMS_APP_ID?: string;
  NOTIFICATIONS_INTERVAL_SECONDS: number;
  NOTIFICATIONS_DIGEST: 'on' | 'off';
};

export function notificationsFromEnv(e: NotificationsEnv): { config: NotificationsConfig; problems: string[] } {
  const base = { enabled: e.NOTIFICATIONS === 'on', intervalSeconds: e.NOTIFICATIONS_INTERVAL_SECONDS, digest: e.NOTIFICATIONS_DIGEST === 'on' };
  if (e.NOTIFICATIONS_TEAMS_FEED === 'off') return { config: { ...base, teamsFeed: null }, problems: [] };
  const graph = graphSettingsFromEnv(e, 'required when NOTIFICATIONS_TEAMS_FEED=on');
  return {
    config: {
      ...base,
      teamsFeed: graph.settings ? { graph: graph.settings, teamsAppId: (e.NOTIFICATIONS_TEAMS_APP_ID ?? TEAMS_MANIFEST_APP_ID).toLowerCase() } : null,
    },
    problems: graph.problems,
  };
}
