import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { promisify } from 'node:util';
import ipaddr from 'ipaddr.js';
import { badInput } from '../platform/errors.js';

/**
 * Where a webhook may point (issue 23), checked at registration and again at each connection (the
 * sender's `lookup`, so a name that later resolves elsewhere — DNS rebinding — is refused too):
 * https to an address on the public internet. The server never calls loopback, private, link-local
 * (cloud metadata), carrier-grade NAT or other special-purpose addresses on a subscriber's word:
 * only plain http to this machine, and only when development or a test asks (allowInsecureLoopback).
 */
export interface WebhookUrlPolicy {
  allowInsecureLoopback: boolean;
}

const MAX_URL = 2000;
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

const RANGE_WORDS: Record<string, string> = {
  private: 'a private network address',
  uniqueLocal: 'a private network address',
  loopback: 'this machine (loopback)',
  linkLocal: 'a link-local address (such as cloud metadata)',
  carrierGradeNat: 'a carrier-grade NAT address',
  unspecified: 'the unspecified address',
};

/** Why an address is not one the server calls, or null when it is (global unicast; loopback when allowed). */
export function addressRefusal(address: string, policy: WebhookUrlPolicy): string | null {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  const range = ipaddr.process(address).range();
  if (range === 'unicast') return null;
  if (range === 'loopback' && policy.allowInsecureLoopback) return null;
  return `leads to ${address}, ${RANGE_WORDS[range] ?? `a special-purpose address (${range})`}, which the server does not call: only public internet addresses`;
}

type Lookup = (hostname: string) => Promise<LookupAddress[]>;
const lookupAll: Lookup = (hostname) => promisify(dnsLookup)(hostname, { all: true, verbatim: true }) as Promise<LookupAddress[]>;

/** The URL as it will be called, or BAD_USER_INPUT saying what is wrong with it. */
export async function checkWebhookUrl(text: string, policy: WebhookUrlPolicy, lookup: Lookup = lookupAll): Promise<URL> {
  const refuse = (why: string) => badInput(`The webhook address ${why}.`, 'url');
  if (text.length > MAX_URL) throw refuse(`is longer than ${MAX_URL} characters`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw refuse('is not a web address (https://...)');
  }
  if (url.username || url.password) throw refuse('carries a user name or password: give none (the signature proves the sender; the secret is ours to keep)');
  if (url.hash) throw refuse('has a fragment (#...), which is never sent: leave it out');
  const loopbackHttp = url.protocol === 'http:' && policy.allowInsecureLoopback && LOOPBACK_NAMES.has(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp) throw refuse('must start with https:// (events are sent only over TLS)');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (ipaddr.isValid(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host)).map((a) => a.address);
    } catch {
      throw refuse(`names a host (${host}) that cannot be found`);
    }
  }
  for (const address of addresses) {
    const why = addressRefusal(address, policy);
    if (why) throw refuse(why);
  }
  return url;
}

/**
 * node:http's `lookup` for the sender: resolves as usual and refuses (as a connection error) any
 * address checkWebhookUrl would refuse, so the address checked is the address connected to.
 */
export function guardedLookup(policy: WebhookUrlPolicy) {
  return (hostname: string, options: object, callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void): void => {
    dnsLookup(hostname, { ...options, all: true, verbatim: true }, (error, addresses) => {
      if (error) return callback(error, []);
      for (const { address } of addresses) {
        const why = addressRefusal(address, policy);
        if (why) return callback(new Error(`refused: ${why}`), []);
      }
      if ((options as { all?: boolean }).all) return callback(null, addresses);
      const [first] = addresses;
      if (!first) return callback(new Error(`no address for ${hostname}`), []);
      callback(null, first.address, first.family);
    });
  };
}
