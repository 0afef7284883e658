/**
 * Where a sync's time goes, as User Timing measures named `ihyid:sync:<step>` (bench:sync sums them
 * per page after each sync; DevTools' Performance panel shows them). No figure leaves the page.
 */
export async function timed<T>(step: string, run: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await run();
  } finally {
    performance.measure(`ihyid:sync:${step}`, { start });
  }
}
