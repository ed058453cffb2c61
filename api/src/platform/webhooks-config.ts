import { z } from 'zod';

/**
 * Webhooks' settings (issue 23: council systems told of changes as they happen). Safe by default:
 * a subscriber's address must be https on the public internet; plain http to this machine
 * (a test's or a developer's receiver) only when WEBHOOKS_ALLOW_INSECURE_LOOPBACK is on, which
 * development and test turn on by default and production refuses.
 */
export const WEBHOOKS_ENV = {
  WEBHOOKS: z.enum(['on', 'off']).default('on'),
  WEBHOOKS_ALLOW_INSECURE_LOOPBACK: z.enum(['on', 'off']).optional(),
  // The waits before each retry, in seconds (Standard Webhooks' suggested schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h).
  WEBHOOKS_RETRY_SECONDS: z
    .string()
    .regex(/^\d{1,6}(\s*,\s*\d{1,6}){0,19}$/, 'must be up to twenty waits in seconds, comma-separated, e.g. 5,300,1800,7200')
    .default('5,300,1800,7200,18000,36000,36000'),
  // How long a subscriber has to answer one delivery.
  WEBHOOKS_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(60).default(15),
  // How often new events are turned into deliveries and due deliveries are sent (one instance per turn).
  WEBHOOKS_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(10),
};

export interface WebhooksConfig {
  /** Off: no delivery is made or sent; subscriptions can still be managed. */
  enabled: boolean;
  /** http://127.0.0.1 / localhost receivers allowed (never in production). */
  allowInsecureLoopback: boolean;
  /** Seconds before each retry: attempts = its length + 1; then the delivery is FAILED. */
  retrySeconds: number[];
  timeoutMs: number;
  intervalSeconds: number;
}

type WebhooksEnv = {
  NODE_ENV: 'development' | 'test' | 'production';
  WEBHOOKS: 'on' | 'off';
  WEBHOOKS_ALLOW_INSECURE_LOOPBACK?: 'on' | 'off';
  WEBHOOKS_RETRY_SECONDS: string;
  WEBHOOKS_TIMEOUT_SECONDS: number;
  WEBHOOKS_INTERVAL_SECONDS: number;
};

export function webhooksFromEnv(e: WebhooksEnv): { config: WebhooksConfig; problems: string[] } {
  const production = e.NODE_ENV === 'production';
  const problems =
    production && e.WEBHOOKS_ALLOW_INSECURE_LOOPBACK === 'on'
      ? ['WEBHOOKS_ALLOW_INSECURE_LOOPBACK: plain http to this machine is for development and tests; it cannot be on when NODE_ENV=production']
      : [];
  return {
    config: {
      enabled: e.WEBHOOKS === 'on',
      allowInsecureLoopback: !production && (e.WEBHOOKS_ALLOW_INSECURE_LOOPBACK ?? 'on') === 'on',
      retrySeconds: e.WEBHOOKS_RETRY_SECONDS.split(',').map((s) => Number(s.trim())),
      timeoutMs: e.WEBHOOKS_TIMEOUT_SECONDS * 1000,
      intervalSeconds: e.WEBHOOKS_INTERVAL_SECONDS,
    },
    problems,
  };
}
