// The app's opt-in development hook (app/src/features/partners/session-context.tsx), seen from tests.
interface Window {
  __ihyidDevtools?: { sendRaw(frame: string): void; hold(): void };
}
// main.tsx's opt-in hook: the page's stores as features hold them (X1: guarded by the user's role).
interface Window {
  __ihyidStores?: { contacts: { get(id: string): Promise<unknown>; search(q: string, n: number): Promise<unknown[]>; count(): Promise<number> } };
}
