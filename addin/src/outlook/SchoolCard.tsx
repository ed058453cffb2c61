import { Badge, Button, Spinner, Text } from '@fluentui/react-components';
import { useEffect, useId, useRef, useState } from 'react';
import type { ApiClient } from '../shared/api/api-client.js';
import { formatDate, noteStatusLabel, visitTypeLabel } from '../shared/format.js';
import type { SchoolCardQuery as SchoolCardData } from '../shared/graphql/generated/graphql.js';
import { riskCategoryWords } from '../shared/risk-categories.js';
import { ErrorMessage } from '../shared/ui/ErrorMessage.js';
import { useAsync } from '../shared/ui/use-async.js';
import { londonToday } from '../teams/dates.js';
import type { OutlookAppointment } from './office-adapter.js';
import type { EmailAddressDetails } from './office-api.js';
import { SchoolCardQuery } from './outlook.documents.js';
import { usePaneAction, type Announce } from './use-pane-action.js';
import './school-card.css';

export type SchoolCardSchool = NonNullable<SchoolCardData['school']>;

/** The school's people the pane offers as attendees: the register's headteacher and chair of governors. */
export interface SchoolContact {
  name: string;
  email: string | null;
  role: 'headteacher' | 'chair of governors';
}

export function schoolContacts(school: Pick<SchoolCardSchool, 'headteacher' | 'chairOfGovernors'>): SchoolContact[] {
  const people: SchoolContact[] = [];
  if (school.headteacher?.name) people.push({ name: school.headteacher.name, email: school.headteacher.email?.trim() || null, role: 'headteacher' });
  if (school.chairOfGovernors?.name)
    people.push({ name: school.chairOfGovernors.name, email: school.chairOfGovernors.email?.trim() || null, role: 'chair of governors' });
  return people;
}

/** The heading of the card's people, where focus goes once someone is added (one card shows at a time). */
export const SCHOOL_PEOPLE_HEADING_ID = 'sv-school-card-people';

const OFSTED_GRADES: Record<number, string> = { 1: 'Outstanding', 2: 'Good', 3: 'Requires improvement', 4: 'Inadequate' };

const PHASES: Record<string, string> = {
  NURSERY: 'Nursery',
  PRIMARY: 'Primary',
  MIDDLE: 'Middle',
  SECONDARY: 'Secondary',
  ALL_THROUGH: 'All-through',
  SPECIAL: 'Special',
  PRU: 'Pupil referral unit',
  SIXTEEN_PLUS: '16 plus',
};

const daysFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });
const days = (n: number) => `${daysFormat.format(n)} ${n === 1 ? 'day' : 'days'}`;

const sameAddress = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * The school's card: what a partner wants to know before a visit (the register's details,
 * the risk category where they may see it, this year's allocation, the last visit, the
 * recommendations still open) and the headteacher and chair offered as attendees. Shown in the
 * booking form once a school is chosen, and beside a booked visit.
 */
export function SchoolCard({
  api,
  schoolId,
  appointment,
  announce,
  mayAddAttendees,
  onAttendeesAdded,
  onLoaded,
}: {
  api: ApiClient;
  schoolId: string;
  appointment: OutlookAppointment;
  announce: Announce;
  /** Whether this pane may change the appointment's attendees (its organiser, a visit not cancelled). */
  mayAddAttendees: boolean;
  /** After attendees were added (a booked visit then takes the appointment's attendees). */
  onAttendeesAdded?: () => Promise<void>;
  onLoaded?: (school: SchoolCardSchool) => void;
}) {
  const headingId = useId();
  const peopleHeading = useRef<HTMLHeadingElement>(null);
  const card = useAsync(async () => {
    const { school } = await api.request(SchoolCardQuery, { id: schoolId });
    return school ?? null;
  }, [api, schoolId]);
  const school = card.status === 'ready' ? card.value : null;
  useEffect(() => {
    if (school) onLoaded?.(school);
    // once per school loaded
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [school]);

  // Who is on the appointment already (required or optional), by address: they are shown as added.
  const [present, setPresent] = useState<string[]>([]);
  const [presentRound, rereadPresent] = useState(0);
  useEffect(() => {
    let current = true;
    appointment
      .attendees()
      .then(({ required, optional }) => current && setPresent([...required, ...optional].map((a) => a.emailAddress)))
      .catch(() => undefined); // unread, nobody is shown as added: adding again adds nobody twice
    return () => {
      current = false;
    };
  }, [appointment, presentRound]);
  const isPresent = (email: string) => present.some((p) => sameAddress(p, email));

  const action = usePaneAction({ announce, reload: () => undefined });

  if (card.status === 'loading') return <Spinner size="tiny" label="Loading the school’s card…" />;
  if (card.status === 'failed') return <ErrorMessage error={card.error} onRetry={card.reload} />;
  if (!school) return null;

  const people = schoolContacts(school);
  const addable = people.filter((p): p is SchoolContact & { email: string } => !!p.email && !isPresent(p.email));
  const add = (who: (SchoolContact & { email: string })[]) =>
    void action.run('attendees', async () => {
      const recipients: EmailAddressDetails[] = who.map((p) => ({ emailAddress: p.email, displayName: p.name }));
      await appointment.addRequiredAttendees(recipients);
      setPresent((now) => [...now, ...who.map((p) => p.email)]);
      rereadPresent((n) => n + 1);
      // The button pressed has gone: focus stays with the people, on their heading (WCAG 2.4.3).
      peopleHeading.current?.focus();
      await onAttendeesAdded?.();
      const names = who.map((p) => `${p.name} (${p.role})`).join(' and ');
      return `Added ${names} to the appointment’s required attendees.`;
    });

  const today = londonToday();
  const recommendations = school.openRecommendations;
  const more = recommendations ? recommendations.totalCount - recommendations.nodes.length : 0;
  const last = school.lastVisit;

  return (
    <section className="sv-stack sv-school-card" aria-labelledby={headingId} data-testid="school-card">
      <div className="sv-school-card__title">
        <Text as="h3" weight="semibold" size={400} id={headingId}>
          {school.name}
        </Text>
        <Text as="p" size={200} className="sv-school-card__line">
          DfE {school.dfeNumber} · {PHASES[school.phase] ?? school.phase}
        </Text>
      </div>

      <dl className="sv-school-card__facts">
        {school.visibleRiskCategory && (
          <div data-testid="risk-category">
            <dt>Risk category (confidential)</dt>
            <dd>
              {school.visibleRiskCategory.category}, {riskCategoryWords(school.visibleRiskCategory.category)}, since{' '}
              {formatDate(school.visibleRiskCategory.effectiveFrom)}
            </dd>
          </div>
        )}
        <div data-testid="ofsted">
          <dt>Ofsted</dt>
          <dd>
            {school.lastOfstedGrade
              ? `${OFSTED_GRADES[school.lastOfstedGrade] ?? `Grade ${school.lastOfstedGrade}`} (grade ${school.lastOfstedGrade})${
                  school.lastOfstedDate ? `, inspected ${formatDate(school.lastOfstedDate)}` : ''
                }`
              : 'No inspection grade in the register'}
          </dd>
        </div>
      </dl>

      <Text as="h4" weight="semibold">
        Allocation this academic year
      </Text>
      {school.currentAllocations.length === 0 ? (
        <Text>No partner is allocated to this school this academic year.</Text>
      ) : (
        <ul className="sv-school-card__list" data-testid="allocation">
          {school.currentAllocations.map((a) => (
            <li key={a.id}>
              {a.partner.name}: {days(a.days)} allocated, {daysFormat.format(a.daysSpent)} used,{' '}
              {a.daysRemaining < 0 ? (
                <Text weight="semibold" className="sv-school-card__over">
                  {days(-a.daysRemaining)} over budget
                </Text>
              ) : (
                `${days(a.daysRemaining)} left`
              )}
            </li>
          ))}
        </ul>
      )}

      <Text as="h4" weight="semibold">
        Last visit
      </Text>
      {last ? (
        <Text data-testid="last-visit">
          {visitTypeLabel(last.type)}, {formatDate(last.startsAt)}, led by {last.leadPartner.name}.{' '}
          {last.expectsNote ? `Note: ${noteStatusLabel(last.note?.status).toLowerCase()}.` : 'No note for this kind of visit.'}
        </Text>
      ) : (
        <Text data-testid="last-visit">{school.recordsVisible ? 'No visit yet.' : 'You see this school’s visits and notes once it is allocated to you.'}</Text>
      )}

      {recommendations && (
        <>
          <Text as="h4" weight="semibold">
            Open recommendations
          </Text>
          {recommendations.totalCount === 0 ? (
            <Text>None open in the circulated notes.</Text>
          ) : (
            <ul className="sv-school-card__list" data-testid="open-recommendations">
              {recommendations.nodes.map((r) => (
                <li key={r.id}>
                  {r.action}{' '}
                  <Text size={200}>
                    ({r.ownerRole}, due {formatDate(r.dueOn)}
                    {r.dueOn < today ? ', overdue' : ''})
                  </Text>
                </li>
              ))}
              {more > 0 && <li className="sv-school-card__more">and {more} more</li>}
            </ul>
          )}
        </>
      )}

      <Text as="h4" weight="semibold" ref={peopleHeading} tabIndex={-1} id={SCHOOL_PEOPLE_HEADING_ID}>
        Headteacher and chair of governors
      </Text>
      {people.length === 0 ? (
        <Text>The register names neither.</Text>
      ) : (
        <ul className="sv-school-card__list sv-school-card__people" data-testid="school-contacts">
          {people.map((p) => (
            <li key={p.role} data-contact={p.role}>
              <div>
                <Text weight="semibold">{p.name}</Text>, {p.role}
              </div>
              {p.email ? (
                <div className="sv-row">
                  <Text size={200} className="sv-school-card__email">
                    {p.email}
                  </Text>
                  {isPresent(p.email) ? (
                    <Badge appearance="tint" color="success">
                      On the appointment
                    </Badge>
                  ) : (
                    mayAddAttendees && (
                      <Button
                        type="button"
                        size="small"
                        aria-label={`Add as attendee: ${p.name}, ${p.role}`}
                        disabledFocusable={!!action.busy}
                        onClick={() => add([p as SchoolContact & { email: string }])}
                      >
                        Add as attendee
                      </Button>
                    )
                  )}
                </div>
              ) : (
                <Text size={200}>No email address in the register.</Text>
              )}
            </li>
          ))}
        </ul>
      )}
      {mayAddAttendees && addable.length > 1 && (
        <Button
          type="button"
          size="small"
          aria-label={`Add both as attendees: ${addable.map((p) => p.name).join(' and ')}`}
          disabledFocusable={!!action.busy}
          onClick={() => add(addable)}
          style={{ alignSelf: 'flex-start' }}
        >
          Add both
        </Button>
      )}
      {action.error !== undefined && <ErrorMessage error={action.error} />}
    </section>
  );
}
