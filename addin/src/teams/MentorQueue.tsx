import { Link, Text } from '@fluentui/react-components';
import type { ApiClient } from '../shared/api/api-client.js';
import { formatDate, visitTypeLabel } from '../shared/format.js';
import { NotesAwaitingMyReviewQuery } from '../shared/note-editor/mentor-review.documents.js';
import { useAsync } from '../shared/ui/use-async.js';
import { routeHref } from './router.js';

/** For a mentor (or a senior adviser): new partners' first notes waiting for review. Shows nothing when none waits. */
export function MentorQueue({ api }: { api: ApiClient }) {
  const state = useAsync(() => api.request(NotesAwaitingMyReviewQuery, {}).then((r) => r.notesAwaitingMyReview), [api]);
  if (state.status !== 'ready' || state.value.length === 0) return null;
  return (
    <section className="sv-stack" aria-labelledby="mentor-queue-title" data-testid="mentor-queue">
      <h2 id="mentor-queue-title">First notes waiting for your review</h2>
      <ul className="sv-list">
        {state.value.map((n) => (
          <li key={n.id}>
            <Link href={routeHref({ tab: 'review', noteId: n.id })}>
              {n.author.name}: {visitTypeLabel(n.visit.type).toLowerCase()} to {n.visit.school.name}
            </Link>{' '}
            <Text size={200}>visit on {formatDate(n.visit.startsAt)}</Text>
          </li>
        ))}
      </ul>
    </section>
  );
}
