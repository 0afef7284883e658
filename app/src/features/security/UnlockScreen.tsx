import { useId, useState, type FormEvent } from 'react';
import type { RecordKeys } from '../../storage/at-rest/keyring';
import { UnlockError, type Vault } from '../../storage/at-rest/vault';

/**
 * X2: the only screen of a protected device until the passphrase is given. A wrong passphrase
 * shows nothing but the message; repeated failures wait longer each time (vault.ts), nothing is wiped.
 */
export function UnlockScreen({ vault, onUnlocked }: { vault: Vault; onUnlocked(keys: RecordKeys): void }) {
  const id = useId();
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      const result = await vault.unlock(passphrase);
      if (result.ok) return onUnlocked(result.value);
      const wait = Math.ceil((result.error.waitMs ?? 0) / 1000);
      setPassphrase('');
      setMessage(
        result.error.code === UnlockError.TooSoon
          ? `Too many wrong passphrases. Try again in ${wait} seconds.`
          : `Wrong passphrase. Nothing is shown until the right one is entered.${wait > 0 ? ` Try again in ${wait} seconds.` : ''}`,
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="page">
      <h1>Unlock Ihyid</h1>
      <p className="muted">This device is protected. Enter the passphrase to see the organisation's data.</p>
      <form onSubmit={(e) => void submit(e)}>
        <label htmlFor={id}>Passphrase</label>
        <input id={id} type="password" autoComplete="current-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} required />
        <button type="submit" disabled={busy}>
          {busy ? 'Unlocking…' : 'Unlock'}
        </button>
        {message && <p role="alert">{message}</p>}
      </form>
    </main>
  );
}
