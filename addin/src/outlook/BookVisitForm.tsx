import { Button, Combobox, Field, MessageBar, MessageBarBody, Option, OptionGroup, Spinner, Text } from '@fluentui/react-components';
import { useEffect, useMemo, useState } from 'react';
import type { ApiClient } from '../shared/api/api-client.js';
import { formatDateTime } from '../shared/format.js';
import type { VisitType } from '../shared/graphql/generated/graphql.js';
import { ErrorMessage } from '../shared/ui/ErrorMessage.js';
import { useAsync } from '../shared/ui/use-async.js';
import { bookFromAppointment, suggestedVisitType, type KnownSchoolPeople, type PaneVisit, type SchoolChoice } from './appointment-visit.js';
import type { AppointmentTimes, OutlookAppointment } from './office-adapter.js';
import { BookingWarningsQuery, MySchoolsQuery, SearchSchoolsQuery } from './outlook.documents.js';
import { SchoolCard } from './SchoolCard.js';
import type { Announce } from './use-pane-action.js';
import { VisitTypeDropdown } from './VisitTypeDropdown.js';

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** The organiser's form: which school, which kind of visit, the API's warnings, then book. */
export function BookVisitForm({
  api,
  appointment,
  times,
  onBooked,
  announce,
}: {
  api: ApiClient;
  appointment: OutlookAppointment;
  times: AppointmentTimes;
  onBooked: (visit: PaneVisit) => void;
  announce: Announce;
}) {
  const [search, setSearch] = useState('');
  const [school, setSchool] = useState<SchoolChoice | null>(null);
  const [type, setType] = useState<VisitType>(suggestedVisitType(times.start));
  const [booking, setBooking] = useState<{ error?: unknown; busy: boolean }>({ busy: false });
  // The chosen school's headteacher and chair, from its card: the booking records them in their roles.
  const [known, setKnown] = useState<{ schoolId: string; people: KnownSchoolPeople } | null>(null);
  const term = useDebounced(search.trim(), 250);

  const mine = useAsync(async () => {
    const { me } = await api.request(MySchoolsQuery, {});
    const seen = new Map<string, SchoolChoice>();
    for (const a of me?.allocations ?? []) seen.set(a.school.id, a.school);
    return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
  }, [api]);
  const found = useAsync(async () => (term.length >= 2 ? (await api.request(SearchSchoolsQuery, { search: term })).schools.nodes : []), [api, term]);
  const warnings = useAsync(
    async () =>
      school
        ? (
            await api.request(BookingWarningsQuery, {
              input: { schoolId: school.id, type, startsAt: times.start.toISOString(), endsAt: times.end.toISOString() },
            })
          ).bookingWarnings
        : [],
    [api, school?.id, type, times.start.getTime(), times.end.getTime()],
  );

  const myMatches = useMemo(() => {
    const all = mine.status === 'ready' ? mine.value : [];
    const needle = search.trim().toLowerCase();
    return needle ? all.filter((s) => s.name.toLowerCase().includes(needle)) : all;
  }, [mine, search]);
  const others = found.status === 'ready' ? found.value.filter((s) => !myMatches.some((m) => m.id === s.id)) : [];
  const bySchoolId = new Map([...myMatches, ...others].map((s) => [s.id, s]));

  async function book() {
    if (!school) return;
    setBooking({ busy: true });
    try {
      onBooked(await bookFromAppointment(appointment, api, { school, type, known: known?.schoolId === school.id ? known.people : undefined }));
    } catch (error) {
      setBooking({ busy: false, error });
    }
  }

  return (
    <form
      className="sv-stack"
      onSubmit={(e) => {
        e.preventDefault();
        void book();
      }}
    >
      <Text weight="semibold" size={400} as="h2">
        Book a school visit
      </Text>
      <Text>{formatDateTime(times.start.toISOString())}</Text>
      {mine.status === 'failed' && <ErrorMessage error={mine.error} onRetry={mine.reload} />}
      <Field label="School" required hint="Your schools first; type two letters or a DfE number to search them all.">
        <Combobox
          placeholder="Start typing a school’s name"
          value={search}
          selectedOptions={school ? [school.id] : []}
          onChange={(e) => {
            setSearch(e.target.value);
            setSchool(null);
          }}
          onOptionSelect={(_e, data) => {
            const chosen = data.optionValue ? bySchoolId.get(data.optionValue) : undefined;
            if (chosen) {
              setSchool(chosen);
              setSearch(chosen.name);
            }
          }}
        >
          {myMatches.length > 0 && (
            <OptionGroup label="My schools">
              {myMatches.map((s) => (
                <Option key={s.id} value={s.id} text={s.name}>
                  {s.name}
                </Option>
              ))}
            </OptionGroup>
          )}
          {others.length > 0 && (
            <OptionGroup label="All schools">
              {others.map((s) => (
                <Option key={s.id} value={s.id} text={s.name}>
                  {`${s.name} (${s.dfeNumber})`}
                </Option>
              ))}
            </OptionGroup>
          )}
          {myMatches.length === 0 && others.length === 0 && (
            <Option disabled value="" text="">
              {found.status === 'loading' && term.length >= 2 ? 'Searching…' : term.length >= 2 ? 'No school matches' : 'Type to search'}
            </Option>
          )}
        </Combobox>
      </Field>
      <Field label="Type of visit" required>
        <VisitTypeDropdown value={type} onChange={setType} />
      </Field>
      {school && warnings.status === 'loading' && <Spinner size="tiny" label="Checking the date and the allocation…" />}
      {warnings.status === 'failed' && <ErrorMessage error={warnings.error} onRetry={warnings.reload} />}
      {warnings.status === 'ready' &&
        warnings.value.map((w) => (
          <MessageBar key={w.code + w.message} intent="warning" data-warning-code={w.code}>
            <MessageBarBody>{w.message}</MessageBarBody>
          </MessageBar>
        ))}
      {booking.error !== undefined && <ErrorMessage error={booking.error} />}
      <Button appearance="primary" type="submit" disabled={!school || booking.busy}>
        {booking.busy ? 'Booking…' : 'Book visit'}
      </Button>
      {/* The school's card, after the button so booking stays in reach; its buttons add attendees, never submit. */}
      {school && (
        <SchoolCard
          key={school.id}
          api={api}
          schoolId={school.id}
          appointment={appointment}
          announce={announce}
          mayAddAttendees
          onLoaded={(s) => setKnown({ schoolId: s.id, people: { headteacherEmail: s.headteacher?.email, chairOfGovernorsEmail: s.chairOfGovernors?.email } })}
        />
      )}
    </form>
  );
}
