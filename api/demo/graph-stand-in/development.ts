import { createHash } from 'node:crypto';
import { emailFor, ALL_PEOPLE } from '../demo-people.js';
import { startGraphStandIn, trustStandInCertificate, type GraphStandIn, type GraphStandInUser } from './graph-stand-in.js';

/**
 * The stand-in as `npm start` runs it (api/demo/main.ts wires it): one mailbox for each
 * demo partner, fixed tenant and app ids so the settings stay the same from run to run,
 * and the stand-in's certificate trusted by this process, so the API's Graph client and
 * MSAL reach it over https like the real thing.
 */
export const DEVELOPMENT_TENANT_ID = '5e1d0c7a-9f0b-4c1e-8a57-0000000d3e10';
export const DEVELOPMENT_CLIENT_ID = '5e1d0c7a-9f0b-4c1e-8a57-00000000a991';
// Accepted by the stand-in only; never a real credential.
export const DEVELOPMENT_CLIENT_SECRET = 'stand-in-development-secret';

/** What the API's Graph client needs to use the stand-in instead of graph.microsoft.com. */
export interface GraphClientSettings {
  /** Graph's root, `https://127.0.0.1:PORT/v1.0` (for the Graph client: baseUrl without the version). */
  graphBaseUrl: string;
  /** MSAL's authority and knownAuthorities. */
  authority: string;
  knownAuthorities: string[];
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** The Graph client's customHosts: it sends its token only to Graph's hosts and these. */
  customHosts: string[];
}

/** A GUID that stays the same for the same text (a partner's mailbox id from their email). */
function stableGuid(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The demo county's partners as mailboxes. */
export function demoMailboxes(): GraphStandInUser[] {
  return ALL_PEOPLE.map((p) => ({ id: stableGuid(emailFor(p.name)), mail: emailFor(p.name), displayName: p.name }));
}

export function graphClientSettings(standIn: GraphStandIn): GraphClientSettings {
  if (!standIn.httpsUrl) throw new Error('the Graph client needs the stand-in to serve https');
  return {
    graphBaseUrl: `${standIn.httpsUrl}/v1.0`,
    authority: `${standIn.httpsUrl}/${standIn.tenantId}`,
    knownAuthorities: [new URL(standIn.httpsUrl).host],
    tenantId: standIn.tenantId,
    clientId: standIn.clientId,
    clientSecret: standIn.clientSecret,
    customHosts: [new URL(standIn.httpsUrl).hostname],
  };
}

export async function startGraphStandInForDevelopment(
  options: { port?: number; users?: GraphStandInUser[]; now?: () => Date; log?: (line: string) => void } = {},
): Promise<{ standIn: GraphStandIn; settings: GraphClientSettings }> {
  const standIn = await startGraphStandIn({
    users: options.users ?? demoMailboxes(),
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.now ? { now: options.now } : {}),
    tenantId: DEVELOPMENT_TENANT_ID,
    clientId: DEVELOPMENT_CLIENT_ID,
    clientSecret: DEVELOPMENT_CLIENT_SECRET,
  });
  trustStandInCertificate(standIn);
  options.log?.(`Graph stand-in: Graph at ${standIn.httpsUrl}/v1.0, Outlook's controls at ${standIn.url}/stand-in/users`);
  return { standIn, settings: graphClientSettings(standIn) };
}
