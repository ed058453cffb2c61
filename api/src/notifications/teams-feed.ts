import { createAppTokenSource } from '../platform/graph/app-token.js';
import { createGraphApi, graphStatus, type GraphApi } from '../platform/graph/graph-client.js';
import type { GraphSettings } from '../platform/graph/graph-config.js';

/**
 * The Teams activity feed through Microsoft Graph, as the app (application permission TeamsActivity.Send):
 * `POST /users/{userPrincipalName}/teamwork/sendActivityNotification` (Microsoft's
 * userteamwork-sendactivitynotification; 204 on success). The client's retry handler waits out 429s
 * within Retry-After; whatever still fails (403: our app is not installed for the person; 404: no such
 * user; 5xx; no answer) is thrown, and the caller sends the email instead.
 */
export interface ActivityFeedMessage {
  /** The recipient's sign-in address (their user principal name in the council's tenant). */
  userPrincipalName: string;
  activityType: string;
  topic: { value: string; webUrl: string };
  previewText: string;
  templateParameters: Record<string, string>;
}

export interface TeamsFeed {
  send(message: ActivityFeedMessage): Promise<void>;
}

export class FeedError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

export function createTeamsFeed(api: GraphApi, teamsAppId: string): TeamsFeed {
  return {
    async send(message) {
      const body = {
        topic: { source: 'text', value: message.topic.value, webUrl: message.topic.webUrl },
        activityType: message.activityType,
        previewText: { content: message.previewText },
        templateParameters: Object.entries(message.templateParameters).map(([name, value]) => ({ name, value })),
        teamsAppId,
      };
      try {
        await api.client.api(`/users/${encodeURIComponent(message.userPrincipalName)}/teamwork/sendActivityNotification`).post(body);
      } catch (error) {
        const status = graphStatus(error);
        // The words Graph gave, without the request: no person's address goes into the record or the log.
        throw new FeedError(
          status ? `the Teams activity feed answered ${status}` : `the Teams activity feed could not be reached (${(error as Error)?.name ?? 'error'})`,
          status,
        );
      }
    },
  };
}

export async function teamsFeedFor(settings: GraphSettings, teamsAppId: string): Promise<TeamsFeed> {
  return createTeamsFeed(createGraphApi(settings, await createAppTokenSource(settings)), teamsAppId);
}
