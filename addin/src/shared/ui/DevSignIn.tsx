import { Caption1, Dropdown, Field, Option } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { chooseDevPerson, chosenDevPerson, devPersonOrDefault, listDevPeople, type DevPerson } from '../auth/dev-token-provider.js';

/**
 * Development only: who the pane signs in as. Real deployments sign in through
 * Outlook or Teams and never show this.
 */
export function DevSignIn({ onChange }: { onChange: (email: string) => void }) {
  const [people, setPeople] = useState<DevPerson[]>([]);
  const [chosen, setChosen] = useState(chosenDevPerson());
  useEffect(() => {
    listDevPeople().then(setPeople, () => setPeople([]));
    // A first visit is signed in as the first partner (the token provider picks the same one).
    devPersonOrDefault().then(
      (email) => email && setChosen(email),
      () => undefined,
    );
  }, []);
  const current = people.find((p) => p.email === chosen);
  return (
    <Field label="Development sign-in: you are" hint={<Caption1>Outlook and Teams sign you in for real.</Caption1>}>
      <Dropdown
        placeholder="Choose a partner or manager"
        value={current ? `${current.name} (${current.role})` : ''}
        selectedOptions={chosen ? [chosen] : []}
        onOptionSelect={(_e, data) => {
          if (!data.optionValue) return;
          chooseDevPerson(data.optionValue);
          setChosen(data.optionValue);
          onChange(data.optionValue);
        }}
      >
        {people.map((p) => (
          <Option key={p.email} value={p.email} text={`${p.name} (${p.role})`}>
            {p.name} ({p.role})
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
}
