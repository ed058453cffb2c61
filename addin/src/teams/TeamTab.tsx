import { Link, Spinner, Text } from '@fluentui/react-components';
import type { ApiClient } from '../shared/api/api-client.js';
import { formatDate, sentence } from '../shared/format.js';
import type { TeamOverviewQuery as TeamResult, TeamsMeQuery } from '../shared/graphql/generated/graphql.js';
import { AREA_LABELS, AREAS, type Area } from '../shared/note-editor/note-model.js';
import { ErrorMessage } from '../shared/ui/ErrorMessage.js';
import { useAsync } from '../shared/ui/use-async.js';
import { routeHref } from './router.js';
import { TeamQuery } from './teams.documents.js';

type Me = NonNullable<TeamsMeQuery['me']>;

type Disputed = TeamResult['disputedNotes'][number];
const grade = (g: number | null | undefined) => (g ? String(g) : 'not graded');

/** What the headteacher disputes, in their words, beside the partner's grades and reasons: the manager never moderates blind. */
function DisputeDetail({ note }: { note: Disputed }) {
  const headings = [...note.judgements]
    .filter((j) => j.headteacherComment || j.disagreementReason)
    .sort((a, b) => AREAS.indexOf(a.area as Area) - AREAS.indexOf(b.area as Area));
  const latest = note.responses?.at(-1);
  return (
    <div className="sv-stack sv-dispute" data-testid="dispute-detail">
      <Text size={200}>
        Disputed{note.headteacherRespondedAt ? ` on ${formatDate(note.headteacherRespondedAt)}` : ''}.
        {latest?.recordedVia === 'MANAGER' ? ` Recorded by a senior adviser on the headteacher's behalf. Why: ${sentence(latest.reason ?? 'not given')}` : ''}
      </Text>
      {note.headteacherComment && (
        <figure className="sv-ht-words">
          <figcaption className="sv-ht-words-label">The headteacher's overall comment (their words)</figcaption>
          <blockquote>{note.headteacherComment}</blockquote>
        </figure>
      )}
      {headings.length > 0 && (
        <dl className="sv-ht-headings">
          {headings.map((j) => (
            <div key={j.area}>
              <dt>
                {areaLabel(j.area)}: school {grade(j.schoolGrade)}, partner {j.insufficientEvidence ? 'insufficient evidence' : grade(j.partnerGrade)}
              </dt>
              {j.disagreementReason && <dd>The partner's reason: {j.disagreementReason}</dd>}
              {j.headteacherComment && (
                <dd>
                  The headteacher's comment (their words): <q>{j.headteacherComment}</q>
                </dd>
              )}
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}

const areaLabel = (area: string) => AREA_LABELS[area as Area] ?? area;

const days = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0$/, ''));

/** The Team tab, for senior advisers: late notes by partner, disputed notes to moderate, allocation days by school. */
export function TeamTab({ api, me, academicYear }: { api: ApiClient; me: Me; academicYear: string }) {
  const manager = me.role === 'MANAGER';
  const state = useAsync(() => (manager ? api.request(TeamQuery, { academicYear }) : Promise.resolve(null)), [api, manager, academicYear]);
  if (!manager) {
    return (
      <section className="sv-stack" aria-labelledby="team-title">
        <h2 id="team-title">Team</h2>
        <Text>This tab is for senior advisers (managers): late notes, disputed notes to moderate and allocation days across the team.</Text>
      </section>
    );
  }
  if (state.status === 'loading') return <Spinner label="Loading the team’s notes…" />;
  if (state.status === 'failed') return <ErrorMessage error={state.error} onRetry={state.reload} />;
  const team = state.value!;
  const allocations = [...team.allocationUsageReport].sort(
    (a, b) => a.school.name.localeCompare(b.school.name) || a.partner.name.localeCompare(b.partner.name),
  );
  return (
    <div className="sv-stack">
      <section className="sv-stack" aria-labelledby="team-late">
        <h2 id="team-late">Late notes by partner</h2>
        {team.overdueNotes.length === 0 ? (
          <Text>No note is late.</Text>
        ) : (
          <div className="sv-table-wrap">
            <table className="sv-table" data-testid="late-notes">
              <caption className="sv-visually-hidden">Late drafts and circulations by partner</caption>
              <thead>
                <tr>
                  <th scope="col">Partner</th>
                  <th scope="col">Late drafts</th>
                  <th scope="col">Late circulations</th>
                  <th scope="col">Notes</th>
                </tr>
              </thead>
              <tbody>
                {team.overdueNotes.map((row) => (
                  <tr key={row.partner.id}>
                    <th scope="row">{row.partner.name}</th>
                    <td>{row.lateDrafts}</td>
                    <td>{row.lateCirculations}</td>
                    <td>
                      <ul className="sv-list">
                        {row.notes.map((n) => (
                          <li key={n.id}>
                            <Link href={routeHref({ tab: 'notes', visitId: n.visit.id })}>
                              {n.visit.school.name}, {formatDate(n.visit.startsAt)}
                            </Link>{' '}
                            <Text size={200}>
                              ({n.status.toLowerCase()}, circulation due {formatDate(n.circulationDueOn)})
                            </Text>
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="sv-stack" aria-labelledby="team-disputed">
        <h2 id="team-disputed">Disputed notes to moderate</h2>
        {team.disputedNotes.length === 0 ? (
          <Text>No note is waiting for moderation.</Text>
        ) : (
          <ul className="sv-list sv-disputed" data-testid="disputed-notes">
            {team.disputedNotes.map((n) => (
              <li key={n.id} data-note-id={n.id}>
                <article className="sv-stack" aria-labelledby={`disputed-${n.id}`}>
                  <Link id={`disputed-${n.id}`} href={routeHref({ tab: 'notes', visitId: n.visit.id })}>
                    {n.visit.school.name}, {formatDate(n.visit.startsAt)} ({n.author.name}): open to moderate
                  </Link>
                  <DisputeDetail note={n} />
                </article>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="sv-stack" aria-labelledby="team-allocations">
        <h2 id="team-allocations">Allocation days, {academicYear}</h2>
        <div className="sv-table-wrap">
          <table className="sv-table" data-testid="allocations">
            <caption className="sv-visually-hidden">Days allocated, used and remaining per school</caption>
            <thead>
              <tr>
                <th scope="col">School</th>
                <th scope="col">Partner</th>
                <th scope="col">Allocated</th>
                <th scope="col">Used</th>
                <th scope="col">Remaining</th>
              </tr>
            </thead>
            <tbody>
              {allocations.map((a) => (
                <tr key={a.id} data-over={a.daysRemaining < 0 || undefined}>
                  <th scope="row">{a.school.name}</th>
                  <td>{a.partner.name}</td>
                  <td>{days(a.days)}</td>
                  <td>{days(a.daysSpent)}</td>
                  <td>{a.daysRemaining < 0 ? `${days(a.daysRemaining)} (over)` : days(a.daysRemaining)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
