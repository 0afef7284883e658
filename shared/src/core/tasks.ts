/**
 * Ends the current task: the page (or worker) handles what waits (input, rendering, messages), then
 * the caller continues. Long synchronous work (opening thousands of sealed rows, hashing thousands of
 * versions) yields every few hundred items, so no task runs past the 100 ms a page may block (R9).
 * `scheduler.yield` where the browser has it (no timer clamping), else a zero timer.
 */
export function yieldTask(): Promise<void> {
  // shared/ is typed without the DOM's or Node's globals: both have these two.
  const host = globalThis as unknown as { scheduler?: { yield?: () => Promise<void> }; setTimeout(run: () => void, ms: number): unknown };
  return host.scheduler?.yield ? host.scheduler.yield() : new Promise((resolve) => host.setTimeout(resolve, 0));
}
