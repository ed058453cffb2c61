import { z } from 'zod';

/**
 * How long each kind of record is kept: the retention schedule (README, "Retention and
 * rights"), read from the environment like the rest of the configuration (config.ts).
 * A duration counts from a trigger named per kind (records/retention.rules.ts says which
 * column); the defaults are the schedule the README cites. Each is overridable, e.g.
 * RETENTION_OUTBOUND_EMAILS=30d. A value that is not a duration stops the server: a typo
 * must never mean "keep nothing" nor "keep for ever".
 */
export const RETENTION_KINDS = [
  'notes',
  'visits',
  'schoolSections',
  'accessLinks',
  'outboundEmails',
  'auditEvents',
  'allocations',
  'shadowings',
  'headteacherFeedback',
  'notifications',
  'webhookDeliveries',
] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];

export interface RetentionPeriod {
  amount: number;
  unit: 'days' | 'weeks' | 'months' | 'years';
}

/** "6y", "30d", "3m", "2w": one whole number and one unit. */
const DURATION = /^(\d{1,4})\s*(d|w|m|y)$/i;
const UNITS = { d: 'days', w: 'weeks', m: 'months', y: 'years' } as const;

export const RETENTION_DEFAULTS: Record<RetentionKind, string> = {
  notes: '6y',
  visits: '6y',
  schoolSections: '6y',
  accessLinks: '30d',
  outboundEmails: '90d',
  auditEvents: '6y',
  allocations: '6y',
  shadowings: '5y',
  headteacherFeedback: '5y',
  // Who was told what (issue 22): a working record, like the transport copies of email.
  notifications: '90d',
  // What was sent to council systems' webhooks (issue 23): kept for replay and the delivery log; payloads may name people.
  webhookDeliveries: '90d',
};

const envName = (kind: RetentionKind) => `RETENTION_${kind.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

const duration = z
  .string()
  .trim()
  .regex(DURATION, 'must be a whole number and a unit: d (days), w (weeks), m (months) or y (years), e.g. 6y or 90d')
  .refine((v) => !DURATION.test(v) || Number(DURATION.exec(v)![1]) > 0, 'must be longer than nothing (0 would dispose of records as they are made)')
  .optional();

/** The variables, merged into config.ts's schema: RETENTION_NOTES, RETENTION_ACCESS_LINKS... and the job's pace. */
export const RETENTION_ENV = {
  ...(Object.fromEntries(RETENTION_KINDS.map((k) => [envName(k), duration])) as Record<string, typeof duration>),
  DISPOSAL_JOB: z.enum(['on', 'off']).default('on'),
  DISPOSAL_INTERVAL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 7)
    .default(24),
};

export interface RetentionConfig {
  schedule: Record<RetentionKind, RetentionPeriod>;
  /** The scheduled disposal job (records/disposal.job.ts); off only when the council asks for it, never by omission. */
  job: { enabled: boolean; intervalMs: number };
}

export function parseRetentionPeriod(text: string): RetentionPeriod {
  const match = DURATION.exec(text.trim());
  if (!match) throw new Error(`not a retention period: ${text}`);
  return { amount: Number(match[1]), unit: UNITS[match[2]!.toLowerCase() as keyof typeof UNITS] };
}

export function retentionFromEnv(env: Record<string, unknown>): RetentionConfig {
  const schedule = Object.fromEntries(
    RETENTION_KINDS.map((k) => [k, parseRetentionPeriod((env[envName(k)] as string | undefined) ?? RETENTION_DEFAULTS[k])]),
  ) as Record<RetentionKind, RetentionPeriod>;
  return {
    schedule,
    job: { enabled: env.DISPOSAL_JOB !== 'off', intervalMs: Number(env.DISPOSAL_INTERVAL_HOURS ?? 24) * 3_600_000 },
  };
}

export const retentionEnvName = envName;
