import { useId, useState, type FormEvent } from 'react';
import { useDeps } from '../../context/deps';

/** X2: passphrases shorter than this are refused: Argon2id slows guessing, it cannot make a short one safe. */
const MIN_PASSPHRASE = 10;
/** X2: minutes without a key press, click or touch before the page locks (it reloads, which drops every key). */
export const LOCK_AFTER_MINUTES = 5;

/**
 * X2: protect this device with a passphrase (every personal record is then sealed at rest), or,
 * once protected, lock it now.
 */
export function SecurityPage() {
  const { atRest } = useDeps();
  const [first, second] = [useId(), useId()];
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (atRest.keys) {
    return (
      <>
        <h1>Security</h1>
        <p>This device is protected by a passphrase: the organisation's data is encrypted on it. It locks after {LOCK_AFTER_MINUTES} minutes without use.</p>
        <button type="button" onClick={() => window.location.reload()}>
          Lock now
        </button>
      </>
    );
  }

  async function protect(e: FormEvent) {
    e.preventDefault();
    if (passphrase.length < MIN_PASSPHRASE) return setProblem(`Use at least ${MIN_PASSPHRASE} characters.`);
    if (passphrase !== repeat) return setProblem('The two passphrases differ.');
    setBusy(true);
    await atRest.vault.create(passphrase);
    // The page reloads into the unlock screen; the first unlock seals what is stored (migrate.ts).
    window.location.reload();
  }

  return (
    <>
      <h1>Security</h1>
      <p>Protect this device with a passphrase: the organisation's data is then encrypted on it, and nobody who holds the device can read it without the passphrase.</p>
      <p className="warning">If the passphrase is forgotten, the data on this device cannot be recovered by anyone.</p>
      <form onSubmit={(e) => void protect(e)}>
        <label htmlFor={first}>New passphrase</label>
        <input id={first} type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} required />
        <label htmlFor={second}>Repeat the passphrase</label>
        <input id={second} type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} required />
        {problem && <p role="alert">{problem}</p>}
        <button type="submit" disabled={busy}>
          {busy ? 'Protecting…' : 'Protect this device'}
        </button>
      </form>
    </>
  );
}
