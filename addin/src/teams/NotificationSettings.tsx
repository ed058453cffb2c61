import { Field, Radio, RadioGroup, Spinner, Text } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { ApiClient } from '../shared/api/api-client.js';
import { graphql } from '../shared/graphql/generated/index.js';
import type { NotificationChannel, NotificationKind } from '../shared/graphql/generated/graphql.js';
import { ErrorMessage } from '../shared/ui/ErrorMessage.js';
import { useAsync } from '../shared/ui/use-async.js';

export const MyNotificationPreferencesQuery = graphql(`
  query MyNotificationPreferences {
    myNotificationPreferences {
      kind
      channel
      label
      chosen
    }
  }
`);

export const SetNotificationPreferenceMutation = graphql(`
  mutation SetNotificationPreference($kind: NotificationKind!, $channel: NotificationChannel!) {
    setNotificationPreference(kind: $kind, channel: $channel) {
      kind
      channel
      label
      chosen
    }
  }
`);

type Preference = { kind: NotificationKind; channel: NotificationChannel; label: string };

const CHANNELS: { value: NotificationChannel; label: string }[] = [
  { value: 'TEAMS', label: 'Teams (email if Teams cannot reach you)' },
  { value: 'EMAIL', label: 'Email' },
  { value: 'NONE', label: 'Not at all' },
];
const DIGEST: { value: NotificationChannel; label: string }[] = [
  { value: 'EMAIL', label: 'On' },
  { value: 'NONE', label: 'Off' },
];

/**
 * Notifications: how the person signed in is told of each kind of thing (Teams activity feed, email,
 * or not at all) and whether they get the Monday digest. Each choice is saved as it is made, and said
 * so in a live region; a failed save says why and puts the choice back.
 */
export function NotificationSettings({ api }: { api: ApiClient }) {
  const state = useAsync(() => api.request(MyNotificationPreferencesQuery, {}).then((r) => r.myNotificationPreferences), [api]);
  const [preferences, setPreferences] = useState<Preference[] | null>(null);
  const [saving, setSaving] = useState<NotificationKind | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<unknown>(null);
  // Once loaded (useAsync's state is a new object each render: its value is what changes).
  const loaded = state.status === 'ready' ? state.value : null;
  useEffect(() => {
    if (loaded) setPreferences(loaded);
  }, [loaded]);

  const choose = async (preference: Preference, channel: NotificationChannel) => {
    const before = preferences;
    setPreferences((all) => all?.map((p) => (p.kind === preference.kind ? { ...p, channel } : p)) ?? all);
    setSaving(preference.kind);
    setError(null);
    setStatus('');
    try {
      const saved = await api.request(SetNotificationPreferenceMutation, { kind: preference.kind, channel });
      setPreferences(saved.setNotificationPreference);
      setStatus(
        `Saved: ${preference.label}, ${(preference.kind === 'WEEKLY_DIGEST' ? DIGEST : CHANNELS).find((c) => c.value === channel)!.label.toLowerCase()}.`,
      );
    } catch (caught) {
      setPreferences(before);
      setError(caught);
    } finally {
      setSaving(null);
    }
  };

  return (
    <section className="sv-stack" aria-labelledby="notifications-title">
      <h2 id="notifications-title">Notifications</h2>
      <Text>Choose how you are told of each of these. Teams notifications appear in your Teams activity feed and open the note.</Text>
      {state.status === 'loading' && <Spinner label="Loading your choices…" />}
      {state.status === 'failed' && <ErrorMessage error={state.error} onRetry={state.reload} />}
      {error !== null && <ErrorMessage error={error} />}
      <p role="status" aria-live="polite" className="sv-visually-hidden" data-testid="notifications-status">
        {status}
      </p>
      {preferences && (
        <form className="sv-stack" onSubmit={(e) => e.preventDefault()} data-testid="notification-settings">
          {preferences.map((p) => {
            const options = p.kind === 'WEEKLY_DIGEST' ? DIGEST : CHANNELS;
            return (
              <Field key={p.kind} label={p.label}>
                <RadioGroup
                  layout="horizontal"
                  value={p.channel}
                  disabled={saving === p.kind}
                  onChange={(_, data) => void choose(p, data.value as NotificationChannel)}
                  data-kind={p.kind}
                >
                  {options.map((o) => (
                    <Radio key={o.value} value={o.value} label={o.label} />
                  ))}
                </RadioGroup>
              </Field>
            );
          })}
        </form>
      )}
    </section>
  );
}
