import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../i18n/LanguageSwitch';
import type { Profile } from '../../storage/records';
import { useDeps } from '../../context/deps';

/** First run: the organisation's name is what partners see when this device asks or answers a check. */
/** `restore`: the shell's X3 restore panel, offered instead of starting anew (features do not import each other). */
export function FirstRun({ onDone, joining, restore }: { onDone(profile: Profile): void; joining: boolean; restore?: ReactNode }) {
  const { t } = useTranslation();
  const { stores, now } = useDeps();
  const [orgName, setOrgName] = useState('');
  const [userName, setUserName] = useState('');
  const [error, setError] = useState<boolean>(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const name = orgName.trim();
    if (name.length < 2 || name.length > 80) {
      setError(true);
      return;
    }
    onDone(await stores.profile.save({ orgName: name, userName, defaultCountry: 'LB' }, now()));
  }

  return (
    <main className="page narrow">
      <LanguageSwitch className="first-run-language" />
      <h1>{t('common.welcome')}</h1>
      <p>{joining ? t('common.firstRunJoining') : t('common.firstRunIntro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor="org-name">{t('common.orgName')}</label>
        <input
          id="org-name"
          value={orgName}
          onChange={(e) => {
            setOrgName(e.target.value);
            setError(false);
          }}
          autoComplete="organization"
          dir="auto"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'org-name-error' : undefined}
          required
        />
        {error && (
          <p id="org-name-error" className="field-error" role="alert">
            {t('common.orgNameError')}
          </p>
        )}
        <label htmlFor="user-name">{t('common.userName')}</label>
        <input id="user-name" dir="auto" value={userName} onChange={(e) => setUserName(e.target.value)} autoComplete="name" />
        <button type="submit">{t('common.continue')}</button>
      </form>
      {restore}
    </main>
  );
}
