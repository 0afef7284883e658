import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import type { AppDeps } from './app/deps';
import { openDb } from './storage/db';
import { startDomainWorker } from './workers/client';
import './styles.css';

// The one place that builds the real adapters; everything below receives them as arguments.
const deps: AppDeps = {
  db: openDb(),
  worker: startDomainWorker(),
  signalingUrl: window.location.origin,
  randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
  now: () => new Date(),
};

// X5: ask the browser to keep our data under storage pressure; a refusal changes nothing else.
void navigator.storage?.persist?.().catch(() => false);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App deps={deps} />
  </StrictMode>,
);
