import { z } from 'zod';

/**
 * Calendar sync's settings (issue 21): the council's Entra app registration that reads partners'
 * calendars through Microsoft Graph, and how sync learns of changes. Read by config.ts.
 *
 * - `off` (the default): nothing is read from Outlook.
 * - `push`: a change-notification subscription per partner's calendar; Graph calls PUBLIC_URL
 *   (https only, Graph calls nothing else) and a delta reconciliation runs every interval.
 * - `poll`: no subscriptions, for a deployment Graph cannot reach (a council's internal network):
 *   the same delta sync, every interval.
 */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const GRAPH_ENV = {
  CALENDAR_SYNC: z.enum(['off', 'push', 'poll']).default('off'),
  GRAPH_TENANT_ID: z.string().regex(GUID, "must be the council's Entra tenant id (a GUID)").optional(),
  GRAPH_CLIENT_ID: z.string().regex(GUID, "must be the calendar sync app registration's client id (a GUID)").optional(),
  GRAPH_CLIENT_SECRET: z.string().min(1).optional(),
  GRAPH_CERTIFICATE_PATH: z.string().min(1).optional(),
  GRAPH_CERTIFICATE_THUMBPRINT: z
    .string()
    .regex(/^([0-9a-f]{40}|[0-9a-f]{64})$/i, 'must be the certificate’s SHA-1 or SHA-256 thumbprint in hex')
    .optional(),
  GRAPH_AUTHORITY_HOST: z.string().url().default('https://login.microsoftonline.com'),
  GRAPH_BASE_URL: z.string().url().default('https://graph.microsoft.com'),
  // Push: how often each mailbox is reconciled by delta anyway (notifications are hints). Poll: the polling interval.
  CALENDAR_SYNC_INTERVAL_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 3600)
    .optional(),
  // Outlook event subscriptions live at most 10,080 minutes (7 days).
  CALENDAR_SUBSCRIPTION_MINUTES: z.coerce.number().int().min(1).max(10_080).default(4_320),
  CALENDAR_SUBSCRIPTION_RENEW_MINUTES: z.coerce.number().min(0.01).max(10_080).default(1_440),
  CALENDAR_SUBSCRIPTION_CHECK_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
};

export type GraphEnv = z.infer<z.ZodObject<typeof GRAPH_ENV>> & { NODE_ENV: string; PUBLIC_URL?: string };

export type GraphCredential = { kind: 'secret'; secret: string } | { kind: 'certificate'; path: string; thumbprint: string };

export interface GraphSettings {
  tenantId: string;
  clientId: string;
  credential: GraphCredential;
  /** Where MSAL gets tokens: https://login.microsoftonline.com, a national cloud's, or a loopback stand-in in tests. */
  authorityHost: string;
  /** Graph's root, without the version: https://graph.microsoft.com. */
  graphBaseUrl: string;
}

export interface CalendarSyncConfig {
  mode: 'push' | 'poll';
  graph: GraphSettings;
  /** Where Graph sends notifications (push): PUBLIC_URL; null means the server's own address (development, tests). */
  publicUrl: string | null;
  /** Each mailbox is read by delta at least this often. */
  intervalSeconds: number;
  subscriptionMinutes: number;
  /** A subscription with less than this left is renewed. */
  renewMinutes: number;
  /** How often subscriptions are checked (created, renewed, recreated). */
  checkSeconds: number;
}

const isLoopback = (url: string) => ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);

/**
 * The app registration's Graph settings (shared by calendar sync and the Teams activity feed), each problem naming its
 * variable; `needed` says what asks for them ("required when CALENDAR_SYNC=push").
 */
export function graphSettingsFromEnv(e: GraphEnv, needed: string): { settings: GraphSettings | null; problems: string[] } {
  const production = e.NODE_ENV === 'production';
  const problems: string[] = [];
  if (!e.GRAPH_TENANT_ID) problems.push(`GRAPH_TENANT_ID: ${needed}`);
  if (!e.GRAPH_CLIENT_ID) problems.push(`GRAPH_CLIENT_ID: ${needed}`);
  const certificate = e.GRAPH_CERTIFICATE_PATH || e.GRAPH_CERTIFICATE_THUMBPRINT;
  if (e.GRAPH_CLIENT_SECRET && certificate) problems.push('GRAPH_CLIENT_SECRET: give a client secret or a certificate (GRAPH_CERTIFICATE_PATH), not both');
  else if (certificate && !(e.GRAPH_CERTIFICATE_PATH && e.GRAPH_CERTIFICATE_THUMBPRINT))
    problems.push('GRAPH_CERTIFICATE_PATH: give it with GRAPH_CERTIFICATE_THUMBPRINT');
  else if (!e.GRAPH_CLIENT_SECRET && !certificate) problems.push(`GRAPH_CLIENT_SECRET: ${needed} (or GRAPH_CERTIFICATE_PATH and GRAPH_CERTIFICATE_THUMBPRINT)`);
  // Tokens and calendars travel over these: plain http only to a stand-in on this machine, and never in production.
  for (const [name, url] of [
    ['GRAPH_AUTHORITY_HOST', e.GRAPH_AUTHORITY_HOST],
    ['GRAPH_BASE_URL', e.GRAPH_BASE_URL],
  ] as const) {
    if (new URL(url).protocol === 'https:') continue;
    if (production) problems.push(`${name}: must be an https:// address when NODE_ENV=production`);
    else if (!isLoopback(url)) problems.push(`${name}: plain http is allowed only to this machine (a stand-in), outside production`);
  }
  if (problems.length) return { settings: null, problems };
  const credential: GraphCredential = e.GRAPH_CLIENT_SECRET
    ? { kind: 'secret', secret: e.GRAPH_CLIENT_SECRET }
    : { kind: 'certificate', path: e.GRAPH_CERTIFICATE_PATH!, thumbprint: e.GRAPH_CERTIFICATE_THUMBPRINT! };
  return {
    settings: {
      tenantId: e.GRAPH_TENANT_ID!.toLowerCase(),
      clientId: e.GRAPH_CLIENT_ID!.toLowerCase(),
      credential,
      authorityHost: e.GRAPH_AUTHORITY_HOST.replace(/\/$/, ''),
      graphBaseUrl: e.GRAPH_BASE_URL.replace(/\/$/, ''),
    },
    problems: [],
  };
}

/** The calendar sync settings, or null when sync is off; each problem names its variable. */
export function calendarSyncFromEnv(e: GraphEnv): { config: CalendarSyncConfig | null; problems: string[] } {
  if (e.CALENDAR_SYNC === 'off') return { config: null, problems: [] };
  const production = e.NODE_ENV === 'production';
  const graph = graphSettingsFromEnv(e, `required when CALENDAR_SYNC=${e.CALENDAR_SYNC}`);
  const problems = [...graph.problems];
  if (e.CALENDAR_SYNC === 'push' && production) {
    if (!e.PUBLIC_URL) problems.push('PUBLIC_URL: required when CALENDAR_SYNC=push (Graph sends change notifications there)');
    else if (new URL(e.PUBLIC_URL).protocol !== 'https:' || isLoopback(e.PUBLIC_URL))
      problems.push('PUBLIC_URL: CALENDAR_SYNC=push needs a public https:// address (Graph calls nothing else); use CALENDAR_SYNC=poll without one');
  }
  if (e.CALENDAR_SUBSCRIPTION_RENEW_MINUTES >= e.CALENDAR_SUBSCRIPTION_MINUTES && production)
    problems.push('CALENDAR_SUBSCRIPTION_RENEW_MINUTES: must be less than CALENDAR_SUBSCRIPTION_MINUTES (or every check renews every subscription)');
  if (e.CALENDAR_SUBSCRIPTION_CHECK_SECONDS >= e.CALENDAR_SUBSCRIPTION_RENEW_MINUTES * 60)
    problems.push('CALENDAR_SUBSCRIPTION_CHECK_SECONDS: must be shorter than CALENDAR_SUBSCRIPTION_RENEW_MINUTES, or a subscription may expire between checks');
  if (problems.length || !graph.settings) return { config: null, problems };
  return {
    config: {
      mode: e.CALENDAR_SYNC,
      graph: graph.settings,
      publicUrl: e.PUBLIC_URL ? e.PUBLIC_URL.replace(/\/$/, '') : null,
      // Polling is the only way changes arrive there: more often than push's safety net.
      intervalSeconds: e.CALENDAR_SYNC_INTERVAL_SECONDS ?? (e.CALENDAR_SYNC === 'poll' ? 300 : 3600),
      subscriptionMinutes: e.CALENDAR_SUBSCRIPTION_MINUTES,
      renewMinutes: e.CALENDAR_SUBSCRIPTION_RENEW_MINUTES,
      checkSeconds: e.CALENDAR_SUBSCRIPTION_CHECK_SECONDS,
    },
    problems: [],
  };
}
