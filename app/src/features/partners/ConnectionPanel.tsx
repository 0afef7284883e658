import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { formatFingerprint, type CheckProtocol } from '@ihyid/shared';
import { useDeps } from '../../context/deps';
import { loadCheckSettings } from './check-settings';
import { ConsentPrompt } from './ConsentPrompt';
import type { ConnectionView, PartnerConnection } from './connection';
import { PROTOCOL_STATEMENTS } from './statements';

const STATUS_TEXT: Record<ConnectionView['status'], string> = {
  idle: 'Not connected.',
  joining: 'Reaching the connection server…',
  waiting: 'Waiting for your partner to open the link…',
  connecting: 'Connecting to your partner…',
  verifying: "Verifying the partner's identity…",
  connected: 'Connected.',
  closed: 'Disconnected.',
};

/** The live connection: status, consent, the check button, progress and the last outcome. */
export function ConnectionPanel({ view, connection }: { view: ConnectionView; connection: PartnerConnection }) {
  const { db } = useDeps();
  const enabled = useLiveQuery(() => loadCheckSettings(db).then((s) => s.enabled), [db]) ?? ['psi-v1'];
  const [picked, setPicked] = useState<CheckProtocol>('psi-v1');
  const protocol = enabled.includes(picked) ? picked : 'psi-v1';
  if (view.status === 'idle') return null;
  const connected = view.status === 'connected';
  return (
    <section className="card" aria-labelledby="connection-title">
      <h2 id="connection-title">{connected ? `Connected to ${view.partnerName}` : 'Connection'}</h2>
      <p role="status">{connected ? `Connected to ${view.partnerName}. The connection is direct, browser to browser.` : STATUS_TEXT[view.status]}</p>
      {view.error && (
        <div className="error-box" role="alert">
          {view.error}
        </div>
      )}
      {connected && view.partnerFingerprint && (
        <p>
          <span className="muted">Partner's key fingerprint: </span>
          <code className="mono" style={{ wordBreak: 'normal' }} aria-label="Partner's key fingerprint">
            {formatFingerprint(view.partnerFingerprint)}
          </code>
        </p>
      )}
      <ConsentPrompt view={view} onAccept={connection.accept} onDecline={connection.decline} />
      {connected && !view.consent && (
        <>
          {enabled.length > 1 && (
            <fieldset>
              <legend>Protocol</legend>
              {enabled.map((p) => (
                <label key={p} className="inline">
                  <input type="radio" name="check-protocol" value={p} checked={protocol === p} onChange={() => setPicked(p)} /> {PROTOCOL_STATEMENTS[p].label}
                </label>
              ))}
            </fieldset>
          )}
          <p className="hint">{PROTOCOL_STATEMENTS[protocol].asker}</p>
          <div className="actions">
            <button type="button" disabled={view.checkRunning} onClick={() => void connection.requestCheck(protocol)}>
              Check overlap with {view.partnerName}
            </button>
            {view.checkRunning && (
              <button type="button" className="secondary" onClick={connection.cancel}>
                Cancel check
              </button>
            )}
          </div>
        </>
      )}
      {view.progress && (
        <label>
          {progressLabel(view.progress.phase)} ({view.progress.done} of {view.progress.total})
          <progress max={view.progress.total || 1} value={view.progress.done} />
        </label>
      )}
      {view.notice && (
        <p className="success" role="status" aria-live="polite">
          {view.notice}
        </p>
      )}
      <div className="actions">
        {view.status === 'closed' && view.secret && (
          <button type="button" onClick={() => void connection.open(view.secret!, view.expected)}>
            Connect again
          </button>
        )}
        <button type="button" className="secondary" onClick={connection.leave}>
          {view.status === 'closed' ? 'Close' : 'Disconnect'}
        </button>
      </div>
    </section>
  );
}

function progressLabel(phase: string): string {
  switch (phase) {
    case 'hashing':
      return 'Preparing anonymised list';
    case 'blinding':
      return "Blinding the partner's list";
    case 'sending':
      return 'Sending';
    case 'receiving':
      return 'Receiving';
    case 'matching':
      return 'Matching';
    default:
      return 'Answering';
  }
}
