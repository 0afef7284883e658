import { useState, type FormEvent } from 'react';
import type { Profile } from '../../storage/db';
import { saveProfile } from '../../storage/profile';
import { useDeps } from '../../context/deps';

/** First run: the organisation's name is what partners see when this device asks or answers a check. */
export function FirstRun({ onDone, joining }: { onDone(profile: Profile): void; joining: boolean }) {
  const { db } = useDeps();
  const [orgName, setOrgName] = useState('');
  const [userName, setUserName] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const name = orgName.trim();
    if (name.length < 2 || name.length > 80) {
      setError('Enter the name of your organisation (2 to 80 characters).');
      return;
    }
    onDone(await saveProfile(db, { orgName: name, userName, defaultCountry: 'LB' }));
  }

  return (
    <main className="page narrow">
      <h1>Welcome to Ihyid</h1>
      <p>
        {joining
          ? 'A partner invited you to check which people you both serve. First, name your organisation.'
          : 'Name your organisation. Partners see this name when you ask them for a check.'}
      </p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor="org-name">Organisation name</label>
        <input
          id="org-name"
          value={orgName}
          onChange={(e) => setOrgName(e.target.value)}
          autoComplete="organization"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'org-name-error' : undefined}
          required
        />
        {error && (
          <p id="org-name-error" className="field-error" role="alert">
            {error}
          </p>
        )}
        <label htmlFor="user-name">Your name (optional)</label>
        <input id="user-name" value={userName} onChange={(e) => setUserName(e.target.value)} autoComplete="name" />
        <button type="submit">Continue</button>
      </form>
    </main>
  );
}
