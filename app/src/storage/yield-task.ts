/**
 * Ends the current task: the page (or worker) handles what waits (input, rendering, messages), then
 * the caller continues. Long synchronous work (opening thousands of sealed rows, hashing thousands of
 * versions) yields every few hundred items, so no task runs past the 100 ms a page may block (R9).
 * `scheduler.yield` where the browser has it (no timer clamping), else a zero timer. Here, not in
 * shared/: shared reads no clock and schedules nothing (its architecture test).
 */
export function yieldTask(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  return scheduler?.yield ? scheduler.yield() : new Promise((resolve) => setTimeout(resolve, 0));
}
