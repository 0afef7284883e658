import { formatFingerprint } from '@ihyid/shared';
import type { IdentityService, IdentitySnapshot } from '../../identity/service';
import { formatCount, progressShare } from './format';
import { QrCode } from './QrCode';

/** I1, I2, I4: this installation's fingerprint (to compare by voice or QR), registration and balance. */
export function MyIdentity({ service, snapshot }: { service: IdentityService; snapshot: IdentitySnapshot }) {
  const { fingerprint, registration } = snapshot;
  if (!fingerprint) return <p role="status">Preparing this installation's key…</p>;
  return (
    <section aria-labelledby="my-identity" className="card">
      <h2 id="my-identity">My identity</h2>
      <p>Partners compare this fingerprint with the one their app shows, by phone or by scanning the code.</p>
      <p>
        <span className="muted">Key fingerprint: </span>
        {/* Break only between groups of four: a group split across lines is misread aloud. */}
        <code className="mono" style={{ wordBreak: 'normal' }} aria-label="Key fingerprint" data-fingerprint={fingerprint}>
          {formatFingerprint(fingerprint)}
        </code>
      </p>
      <QrCode text={`IHYID:FP:${fingerprint}`} label={`QR code of fingerprint ${formatFingerprint(fingerprint)}`} />
      {registration.phase === 'unregistered' && (
        <div>
          <p>
            This installation is not registered yet. Registering proves a few seconds of computing work, so that nobody can
            make fake organisations cheaply. Partners refuse checks with unregistered installations.
          </p>
          {registration.error && (
            <p className="error-box" role="alert">
              {registration.error}
            </p>
          )}
          <button type="button" onClick={() => void service.register()}>
            Register this installation
          </button>
        </div>
      )}
      {registration.phase === 'solving' && (
        <div role="status">
          <p>Registering… {formatCount(registration.progress.tried)} tries so far (about {formatCount(registration.progress.expected)} needed on average).</p>
          <progress aria-label="Registration progress" max={1} value={progressShare(registration.progress)} />
          <div className="actions">
            <button type="button" onClick={() => service.cancelRegistration()}>
              Cancel registration
            </button>
          </div>
        </div>
      )}
      {(registration.phase === 'registered' || registration.phase === 'revoked') && (
        <dl>
          <dt>Status</dt>
          <dd>{registration.phase === 'registered' ? 'Registered' : 'Revoked: this identity ignored too many challenges and cannot take part in checks.'}</dd>
          <dt>Balance</dt>
          <dd aria-label="Balance">{registration.record.balance}</dd>
          <dt>Challenges</dt>
          <dd>
            {registration.record.solved} solved, {registration.record.ignored} ignored
          </dd>
        </dl>
      )}
      {snapshot.invalidOnLoad > 0 && (
        <p className="warning">{snapshot.invalidOnLoad} stored identity records failed their check on load and are ignored.</p>
      )}
    </section>
  );
}
