import type { GraphStandIn } from './graph-stand-in.js';

/**
 * What MSAL for Node needs to take tokens from the stand-in. MSAL refuses an authority
 * that is not https (authority_uri_insecure) and the stand-in serves plain http on
 * loopback, so the authority is named https and MSAL is handed the tenant's
 * openid-configuration (authorityMetadata) instead of fetching it: its token endpoint is
 * the stand-in's http one. knownAuthorities keeps MSAL from asking
 * login.microsoftonline.com for instance discovery.
 */
export function msalAuthorityOptions(standIn: Pick<GraphStandIn, 'url' | 'tenantId' | 'openIdConfiguration'>): {
  authority: string;
  knownAuthorities: string[];
  authorityMetadata: string;
} {
  const host = new URL(standIn.url).host;
  return {
    authority: `https://${host}/${standIn.tenantId}`,
    knownAuthorities: [host],
    authorityMetadata: JSON.stringify(standIn.openIdConfiguration()),
  };
}
