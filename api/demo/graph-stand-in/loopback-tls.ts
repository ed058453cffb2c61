import { execFileSync } from 'node:child_process';
import type http from 'node:http';
import type https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';

/**
 * HTTPS beside HTTP on the stand-in's one port. Graph's clients insist on https: MSAL for
 * Node refuses an http authority (authority_uri_insecure) and the Graph JavaScript client
 * sends the bearer token only to https URLs. So the stand-in makes a throwaway self-signed
 * certificate for 127.0.0.1 at start (openssl, two days, key kept in memory only), and the
 * process that talks to it trusts that certificate (`trustCertificate`).
 */
export interface LoopbackCertificate {
  key: string;
  cert: string;
}

export function makeLoopbackCertificate(): LoopbackCertificate {
  let pem: string;
  try {
    pem = execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        '-',
        '-out',
        '-',
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
  } catch (error) {
    throw new Error(
      `The Graph stand-in makes its https certificate with openssl, which failed (${(error as Error).message}). Install openssl, or start the stand-in with { tls: false } (http only).`,
      { cause: error },
    );
  }
  const key = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/.exec(pem)?.[0];
  const cert = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  if (!key || !cert) throw new Error('openssl did not print a key and a certificate');
  return { key, cert };
}

/**
 * One listener for both: a TLS handshake starts with byte 0x16, anything else is plain HTTP.
 * `close` ends the open connections too (clients keep them alive), so it does not wait on them.
 */
export function dualListener(plain: http.Server, secure: https.Server | undefined): { server: net.Server; close(): Promise<void> } {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.once('readable', () => {
      const first = socket.read(1) as Buffer | null;
      if (!first) return void socket.destroy();
      socket.unshift(first);
      (secure && first[0] === 0x16 ? secure : plain).emit('connection', socket);
    });
  });
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/** Makes this process's https clients (fetch, MSAL, the Graph client) trust the stand-in's certificate. */
export function trustCertificate(cert: string): void {
  const current = tls.getCACertificates('default');
  if (!current.includes(cert)) tls.setDefaultCACertificates([...current, cert]);
}
