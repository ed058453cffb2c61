import { Button, Field, Link, MessageBar, MessageBarBody, MessageBarTitle, Spinner, Text, Textarea } from '@fluentui/react-components';
import { useState } from 'react';
import type { ApiClient } from '../api/api-client.js';
import { describeError } from '../api/api-error.js';
import { formatDate, formatDateTime, visitTypeLabel } from '../format.js';
import type { MentorReviewFieldsFragment } from '../graphql/generated/graphql.js';
import { ErrorMessage } from '../ui/ErrorMessage.js';
import { useAsync } from '../ui/use-async.js';
import { CommentOnFirstNoteMutation, NoteForMentorQuery, NoteMentorReviewQuery, ReleaseNoteMutation } from './mentor-review.documents.js';
import { formOf } from './note-model.js';
import { Findings, Judgements, Overview, Recommendations, Reviews } from './NoteSections.js';

export type MentorReviewData = MentorReviewFieldsFragment;

/** The first note's review is still in the way of sharing it. */
export const waitsForMentor = (review: MentorReviewData | null | undefined) => !!review?.required && review.status !== 'RELEASED';

/** The mentor's feedback, oldest first, as they gave it. */
export function MentorComments({ comments }: { comments: MentorReviewData['comments'] }) {
  if (!comments.length) return null;
  return (
    <section className="sv-stack" aria-labelledby="mentor-comments-title" data-testid="mentor-comments">
      <h3 id="mentor-comments-title" className="sv-note-heading">
        Your mentor's feedback
      </h3>
      <ol className="sv-ht-list">
        {comments.map((c) => (
          <li key={c.id} data-testid="mentor-comment">
            <figure className="sv-ht-words">
              <figcaption className="sv-ht-words-label">
                {c.author.name}, {formatDateTime(c.createdAt)}
                {c.kind === 'RELEASED' ? ' (with the release)' : ' (handed back to revise)'}
              </figcaption>
              <blockquote>{c.comment}</blockquote>
            </figure>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** For the partner writing their first note: where it is in the mentor's review, and the mentor's feedback. */
export function MentorReviewBanner({ review, manager = false }: { review: MentorReviewData | null; manager?: boolean }) {
  if (!review?.required) return null;
  const mentor = review.mentor?.name ?? 'your mentor';
  if (review.status === 'RELEASED') {
    return (
      <div className="sv-stack" data-testid="mentor-review">
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody>
            {manager ? 'This first note was released by ' : 'Your first note was released by '}
            {review.releasedBy?.name ?? mentor}
            {review.releasedAt ? ` on ${formatDate(review.releasedAt)}` : ''}: you can share it with the headteacher.
          </MessageBarBody>
        </MessageBar>
        <MentorComments comments={review.comments} />
      </div>
    );
  }
  const next =
    review.status === 'AWAITING_MENTOR'
      ? `It is with ${mentor} now${review.requestedAt ? ` (sent ${formatDateTime(review.requestedAt)})` : ''}. You can go on improving it while you wait.`
      : review.status === 'HANDED_BACK'
        ? `${mentor} has commented: revise the note, then send it to them again.`
        : 'When it is ready, send it with “Send to my mentor”: they comment, you revise, and they release it for sharing.';
  return (
    <div className="sv-stack" data-testid="mentor-review">
      <MessageBar intent="info" layout="multiline" data-testid="mentor-banner">
        <MessageBarBody>
          <MessageBarTitle>
            {manager
              ? `A new partner’s first note: it goes to their mentor, ${mentor}, before it is shared`
              : `Your first note goes to your mentor, ${mentor}, before it is shared`}
          </MessageBarTitle>{' '}
          {next}
        </MessageBarBody>
      </MessageBar>
      <MentorComments comments={review.comments} />
    </div>
  );
}

export function useMentorReview(api: ApiClient, noteId: string, round: number) {
  return useAsync(() => api.request(NoteMentorReviewQuery, { noteId }).then((r) => r.mentorReview), [api, noteId, round]);
}

/**
 * The mentor's page for a mentee's first note: the note read-only, the feedback so far, and the
 * two things a mentor does: comment and hand it back, or release it for sharing.
 */
export function MentorReviewPage({ api, noteId, backHref }: { api: ApiClient; noteId: string; backHref: string }) {
  const [round, setRound] = useState(0);
  const state = useAsync(() => api.request(NoteForMentorQuery, { id: noteId }), [api, noteId, round]);
  const review = useMentorReview(api, noteId, round);
  const [comment, setComment] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  if (state.status === 'loading' || review.status === 'loading') return <Spinner label="Opening the note…" />;
  if (state.status === 'failed') return <ErrorMessage error={state.error} onRetry={state.reload} />;
  if (review.status === 'failed') return <ErrorMessage error={review.error} onRetry={review.reload} />;
  const { note, me } = state.value;
  if (!note) return <Text>This note was not found.</Text>;
  const r = review.value;
  const form = formOf(note);
  const noop = () => undefined;
  const canAct = r.status === 'AWAITING_MENTOR' && (me?.role === 'MANAGER' || me?.id === r.mentor?.id) && me?.id !== note.author.id;
  const missing = tried && !comment.trim();

  const act = async (label: string, work: () => Promise<unknown>, message: string) => {
    setBusy(label);
    setError(null);
    try {
      await work();
      setDone(message);
      setComment('');
      setTried(false);
      setRound((n) => n + 1);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <article className="sv-stack sv-note" aria-labelledby="mentor-review-title" data-testid="mentor-review-page">
      <Link href={backHref}>Back</Link>
      <header className="sv-stack">
        <Text as="h2" id="mentor-review-title" size={500} weight="semibold">
          First note of {note.author.name}: {visitTypeLabel(note.visit.type).toLowerCase()} to {note.visit.school.name}
        </Text>
        <Text size={200}>
          Visit on {formatDateTime(note.visit.startsAt)}. Read-only: you review the note; {note.author.name} revises it.
        </Text>
      </header>
      {done && (
        <MessageBar intent="success" data-testid="mentor-done">
          <MessageBarBody>{done}</MessageBarBody>
        </MessageBar>
      )}
      <Text data-testid="mentor-review-status">
        {r.status === 'AWAITING_MENTOR'
          ? 'Waiting for your review.'
          : r.status === 'HANDED_BACK'
            ? `Handed back to ${note.author.name} to revise.`
            : r.status === 'RELEASED'
              ? `Released${r.releasedAt ? ` on ${formatDate(r.releasedAt)}` : ''}: ${note.author.name} may share it.`
              : 'Not yet sent for review.'}
      </Text>
      <MentorComments comments={r.comments} />
      <Overview form={form} edit={noop} readOnly />
      <Judgements form={form} edit={noop} readOnly note={note} />
      <Findings form={form} edit={noop} readOnly />
      <Reviews form={form} edit={noop} readOnly note={note} />
      <Recommendations
        form={form}
        edit={noop}
        readOnly
        visitDate={note.visit.startsAt.slice(0, 10)}
        note={note}
        manager={false}
        allowMore={async () => false}
      />
      {canAct && (
        <section className="sv-note-section sv-stack" aria-labelledby="mentor-actions-title" data-testid="mentor-actions">
          <h3 id="mentor-actions-title" className="sv-note-heading">
            Your review
          </h3>
          <Field
            label="Developmental feedback for the partner"
            hint="Kept with the note as you write it; the partner sees it beside their draft."
            required
            validationState={missing ? 'error' : 'none'}
            validationMessage={missing ? 'Write your feedback before handing the note back.' : undefined}
          >
            <Textarea value={comment} onChange={(_e, d) => setComment(d.value)} rows={5} data-testid="mentor-comment-input" />
          </Field>
          {error !== null && (
            <MessageBar intent="error" data-testid="mentor-error">
              <MessageBarBody>
                <MessageBarTitle>{describeError(error).title}</MessageBarTitle> {describeError(error).detail}
              </MessageBarBody>
            </MessageBar>
          )}
          <div className="sv-row">
            <Button
              disabled={!!busy}
              onClick={() => {
                setTried(true);
                if (!comment.trim()) return;
                void act(
                  'comment',
                  () => api.request(CommentOnFirstNoteMutation, { noteId, comment: comment.trim() }),
                  `Handed back to ${note.author.name} with your feedback.`,
                );
              }}
            >
              {busy === 'comment' ? 'Handing back…' : 'Comment and hand back'}
            </Button>
            <Button
              appearance="primary"
              disabled={!!busy}
              onClick={() =>
                void act(
                  'release',
                  () => api.request(ReleaseNoteMutation, { noteId, comment: comment.trim() || null }),
                  `Released: ${note.author.name} may now share the note with the headteacher.`,
                )
              }
            >
              {busy === 'release' ? 'Releasing…' : 'Release'}
            </Button>
          </div>
        </section>
      )}
    </article>
  );
}
