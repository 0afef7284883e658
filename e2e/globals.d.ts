// The app's opt-in development hook (app/src/features/partners/session-context.tsx), seen from tests.
interface Window {
  __ihyidDevtools?: { sendRaw(frame: string): void; hold(): void };
}
