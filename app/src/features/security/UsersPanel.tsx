import { useCallback, useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ERROR_MESSAGES, ErrorCode, isRoleForbidden, Role, ROLES, type Result } from '@ihyid/shared';
import { useDeps } from '../../context/deps';
import { localizeMessage } from '../../i18n/messages';
import type { AccountError } from '../../storage/at-rest/accounts';
import { MIN_PASSPHRASE } from '../../storage/at-rest/keyring';
import type { LocalUser } from '../../storage/at-rest/vault';

type Message = { ok: boolean; text: string };

/**
 * X1, for an admin: the users of this device. Add one (name, role, initial passphrase), change a
 * role, remove one (never the last admin), reset a forgotten passphrase. The vault checks again that
 * the one asking is an admin (accounts.ts); a refusal is said, not hidden.
 */
export function UsersPanel() {
  const { t } = useTranslation();
  const { atRest } = useDeps();
  const accounts = useMemo(() => (atRest.keys && atRest.user ? atRest.vault.accounts(atRest.keys, atRest.user) : null), [atRest]);
  const ids = { name: useId(), role: useId(), pass: useId(), resetUser: useId(), resetPass: useId() };
  const [users, setUsers] = useState<LocalUser[]>([]);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>(Role.Caseworker);
  const [passphrase, setPassphrase] = useState('');
  const [resetName, setResetName] = useState('');
  const [resetPass, setResetPass] = useState('');
  const [message, setMessage] = useState<Message | null>(null);
  const [busy, setBusy] = useState(false);

  const reload = useCallback(() => void atRest.vault.users().then(setUsers), [atRest.vault]);
  useEffect(reload, [reload]);

  /** Runs one change, then says how it went (a refused role, a rule of the vault, or done). */
  async function run(change: () => Promise<Result<unknown, AccountError>>, done: string): Promise<boolean> {
    setBusy(true);
    setMessage(null);
    try {
      const result = await change();
      setMessage(result.ok ? { ok: true, text: done } : { ok: false, text: t(`security.account-${result.error}`, { min: MIN_PASSPHRASE }) });
      return result.ok;
    } catch (error) {
      if (!isRoleForbidden(error)) throw error;
      setMessage({ ok: false, text: localizeMessage(ERROR_MESSAGES[ErrorCode.RoleForbidden]) });
      return false;
    } finally {
      setBusy(false);
      reload();
    }
  }

  if (!accounts) return null;

  async function add(e: FormEvent) {
    e.preventDefault();
    if (await run(() => accounts!.add(name, role, passphrase), t('security.userAdded', { name: name.trim() }))) {
      setName('');
      setPassphrase('');
    }
  }

  async function reset(e: FormEvent) {
    e.preventDefault();
    const who = resetName || users[0]?.name || '';
    if (await run(() => accounts!.resetPassphrase(who, resetPass), t('security.passphraseReset', { name: who }))) setResetPass('');
  }

  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title">{t('security.usersTitle')}</h2>
      <p className="warning">{t('security.lastAdminWarning')}</p>
      <ul className="plain">
        {users.map((u) => (
          <li key={u.name}>
            <bdi>{u.name}</bdi>{' '}
            <select aria-label={t('security.roleOf', { name: u.name })} value={u.role} disabled={busy} onChange={(e) => void run(() => accounts.setRole(u.name, e.target.value as Role), t('security.roleChanged', { name: u.name }))}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`security.role-${r}`)}
                </option>
              ))}
            </select>{' '}
            <button type="button" className="secondary" disabled={busy} aria-label={t('security.removeUser', { name: u.name })} onClick={() => void run(() => accounts.remove(u.name), t('security.userRemoved', { name: u.name }))}>
              {t('security.remove')}
            </button>
          </li>
        ))}
      </ul>
      {message && (
        <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'success' : undefined}>
          {message.text}
        </p>
      )}
      <h3>{t('security.addUser')}</h3>
      <form onSubmit={(e) => void add(e)}>
        <label htmlFor={ids.name}>{t('security.userName')}</label>
        <input id={ids.name} dir="auto" value={name} maxLength={80} onChange={(e) => setName(e.target.value)} required />
        <label htmlFor={ids.role}>{t('security.role')}</label>
        <select id={ids.role} value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`security.role-${r}`)}
            </option>
          ))}
        </select>
        <label htmlFor={ids.pass}>{t('security.initialPassphrase')}</label>
        <input id={ids.pass} type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} required />
        <button type="submit" disabled={busy}>
          {t('security.addUser')}
        </button>
      </form>
      <h3>{t('security.resetTitle')}</h3>
      <form onSubmit={(e) => void reset(e)}>
        <label htmlFor={ids.resetUser}>{t('security.user')}</label>
        <select id={ids.resetUser} value={resetName || users[0]?.name || ''} onChange={(e) => setResetName(e.target.value)}>
          {users.map((u) => (
            <option key={u.name} value={u.name}>
              {u.name}
            </option>
          ))}
        </select>
        <label htmlFor={ids.resetPass}>{t('security.resetPassphrase')}</label>
        <input id={ids.resetPass} type="password" autoComplete="new-password" value={resetPass} onChange={(e) => setResetPass(e.target.value)} required />
        <button type="submit" disabled={busy}>
          {t('security.reset')}
        </button>
      </form>
    </section>
  );
}
