import { Link, Spinner, Text } from '@fluentui/react-components';
import type { ApiClient } from '../shared/api/api-client.js';
import { formatDate, noteStatusLabel, visitTypeLabel } from '../shared/format.js';
import type { TeamsMeQuery } from '../shared/graphql/generated/graphql.js';
import { NoteEditor } from '../shared/note-editor/NoteEditor.js';
import { ErrorMessage } from '../shared/ui/ErrorMessage.js';
import { useAsync } from '../shared/ui/use-async.js';
import { addDays, londonMidnight, londonToday } from './dates.js';
import { isLate, orderVisits } from './MyVisits.js';
import { routeHref } from './router.js';
import { MyVisitsQuery } from './teams.documents.js';
import { MentorQueue } from './MentorQueue.js';

type Me = NonNullable<TeamsMeQuery['me']>;

/** The Notes tab: one visit's note (deep links carry the visit id), or the notes still to write. */
export function NotesTab({ api, me, visitId }: { api: ApiClient; me: Me; visitId: string | null }) {
  if (visitId) {
    return (
      <div className="sv-stack">
        <Link href={routeHref({ tab: 'notes', visitId: null })}>All my notes</Link>
        <NoteEditor key={visitId} api={api} visitId={visitId} />
      </div>
    );
  }
  return (
    <div className="sv-stack">
      <MentorQueue api={api} />
      <NotesToWrite api={api} me={me} />
    </div>
  );
}

function NotesToWrite({ api, me }: { api: ApiClient; me: Me }) {
  const today = londonToday();
  const state = useAsync(
    () =>
      api
        .request(MyVisitsQuery, {
          filter: { partnerId: me.id, from: londonMidnight(addDays(today, -180)), to: new Date().toISOString(), status: ['BOOKED', 'COMPLETED'] },
        })
        .then((r) => r.visits.nodes.filter((v) => v.expectsNote && v.note?.status !== 'CIRCULATED')),
    [api, me.id, today],
  );
  return (
    <section className="sv-stack" aria-labelledby="notes-title">
      <h2 id="notes-title">Notes of visit to finish</h2>
      {state.status === 'loading' && <Spinner label="Loading your notes…" />}
      {state.status === 'failed' && <ErrorMessage error={state.error} onRetry={state.reload} />}
      {state.status === 'ready' &&
        (state.value.length === 0 ? (
          <Text>Every note of your recent visits has been circulated.</Text>
        ) : (
          <ul className="sv-list" data-testid="notes-list">
            {orderVisits(state.value, today).map((v) => (
              <li key={v.id}>
                <Link href={routeHref({ tab: 'notes', visitId: v.id })}>
                  {v.school.name}: {visitTypeLabel(v.type).toLowerCase()} on {formatDate(v.startsAt)}
                </Link>{' '}
                <Text size={200}>
                  {noteStatusLabel(v.note?.status)}
                  {isLate(v, today) ? ' (late)' : ''}, draft due {formatDate((v.note?.draftDueOn ?? v.noteDraftDueOn)!)}
                </Text>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}
