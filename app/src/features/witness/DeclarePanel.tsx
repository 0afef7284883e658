import { useState } from 'react';
import type { Declaration } from './service';

/** W5: declaring a positive test, after an explicit confirmation that says what will happen. */
export function DeclarePanel({ tokens, declaration, onDeclare }: { tokens: number; declaration: Declaration; onDeclare(): void }) {
  const [confirming, setConfirming] = useState(false);
  return (
    <section aria-labelledby="declare-title">
      <h2 id="declare-title">Declare a positive test</h2>
      {declaration.state === 'working' && <p role="status">{declaration.step}</p>}
      {declaration.state === 'done' && (
        <p className="success" role="status">
          Declared. {declaration.count === 1 ? '1 token was' : `${declaration.count} tokens were`} sent and deleted from this
          device.
        </p>
      )}
      {declaration.state === 'failed' && (
        <p className="error-box" role="alert">
          {declaration.message}
        </p>
      )}
      {confirming ? (
        <div className="warning" role="group" aria-labelledby="confirm-title">
          <p id="confirm-title">
            This sends your {tokens === 1 ? 'witness token' : `${tokens} witness tokens`} through the connection server to every
            phone in witness mode, and deletes {tokens === 1 ? 'it' : 'them'} from this device. People you were near in the last
            15 days will be alerted, without learning who you are.
          </p>
          <div className="actions">
            <button
              type="button"
              className="danger"
              onClick={() => {
                setConfirming(false);
                onDeclare();
              }}
            >
              Yes, declare and alert
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button type="button" disabled={tokens === 0 || declaration.state === 'working'} onClick={() => setConfirming(true)}>
          Declare a positive test…
        </button>
      )}
    </section>
  );
}
