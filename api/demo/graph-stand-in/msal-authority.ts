import type { GraphStandIn } from './graph-stand-in.js';

/**
 * The MSAL for Node settings that take tokens from the stand-in: the https authority (MSAL
 * refuses http ones) and the stand-in's host as a known authority, so MSAL reads the
 * tenant's openid-configuration from the stand-in and never asks login.microsoftonline.com
 * for instance discovery. The process must trust the stand-in's certificate first
 * (`trustStandInCertificate`).
 */
export function msalAuthorityOptions(standIn: Pick<GraphStandIn, 'httpsUrl' | 'tenantId'>): { authority: string; knownAuthorities: string[] } {
  if (!standIn.httpsUrl) throw new Error('MSAL needs the stand-in to serve https (start it without tls: false).');
  return { authority: `${standIn.httpsUrl}/${standIn.tenantId}`, knownAuthorities: [new URL(standIn.httpsUrl).host] };
}
