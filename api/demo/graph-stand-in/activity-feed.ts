import { graphError } from './mailboxes.js';

/**
 * The Teams activity feed of the stand-in (issue 22): `POST /users/{id | userPrincipalName}/teamwork/sendActivityNotification`,
 * as Microsoft documents it (userteamwork-sendactivitynotification; permission TeamsActivity.Send as the app): 204 No Content
 * on success. What a call sends is recorded for tests; its shape is checked here as the documentation states the rules, and
 * against the published metadata by api/test/graph-stand-in.test.ts. A fault makes the next calls fail as Graph would when
 * the app is not installed for the user (403), the user is unknown (404), or Graph is unwell (500), until cleared.
 */
export interface ActivityNotification {
  /** The user's id (the request may name them by id or principal name). */
  userId: string;
  /** How the request named the user. */
  addressedAs: string;
  body: Record<string, unknown>;
  at: Date;
}

export type ActivityFeedFault = { status: 403 | 404 | 500; remaining: number } | null;

const FAULTS = {
  403: {
    code: 'Forbidden',
    message: 'Forbidden. The Teams app is not installed for the recipient, or the app does not have permission to send it notifications.',
  },
  404: { code: 'NotFound', message: 'Recipient not found.' },
  500: { code: 'InternalServerError', message: 'Failed to execute request.' },
} as const;

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The rules of the documented request body beyond its types (the metadata check covers those). */
function contractProblems(body: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const topic = body.topic;
  if (!isObject(topic)) problems.push('topic is required');
  else {
    if (topic.source !== 'text' && topic.source !== 'entityUrl') problems.push('topic.source must be text or entityUrl');
    if (typeof topic.value !== 'string' || !topic.value) problems.push('topic.value is required');
    // A text topic needs a webUrl, a Teams deep link, for the notification to open anything.
    if (topic.source === 'text' && (typeof topic.webUrl !== 'string' || !topic.webUrl.startsWith('https://teams.microsoft.com/l/')))
      problems.push('topic.webUrl must be a Teams deep link (https://teams.microsoft.com/l/...) when topic.source is text');
  }
  if (typeof body.activityType !== 'string' || !body.activityType) problems.push('activityType is required');
  if (!isObject(body.previewText) || typeof body.previewText.content !== 'string') problems.push('previewText.content is required');
  else if (body.previewText.content.length > 150) problems.push('previewText.content must be at most 150 characters');
  if (body.templateParameters !== undefined) {
    if (!Array.isArray(body.templateParameters) || !body.templateParameters.every((p) => isObject(p) && typeof p.name === 'string'))
      problems.push('templateParameters must be a list of { name, value }');
  }
  return problems;
}

export class ActivityFeed {
  readonly sent: ActivityNotification[] = [];
  fault: ActivityFeedFault = null;

  constructor(private readonly now: () => Date) {}

  /** Fails the next `count` calls (default: every call until cleared with null). */
  fail(status: 403 | 404 | 500 | null, count = Number.POSITIVE_INFINITY): void {
    this.fault = status === null ? null : { status, remaining: count };
  }

  send(user: { id: string }, addressedAs: string, body: Record<string, unknown>): void {
    if (this.fault && this.fault.remaining > 0) {
      const { status } = this.fault;
      this.fault.remaining -= 1;
      if (this.fault.remaining <= 0) this.fault = null;
      throw graphError(status, FAULTS[status].code, FAULTS[status].message);
    }
    const problems = contractProblems(body);
    if (problems.length) throw graphError(400, 'BadRequest', `Invalid request body: ${problems.join('; ')}.`);
    this.sent.push({ userId: user.id, addressedAs, body, at: this.now() });
  }
}
