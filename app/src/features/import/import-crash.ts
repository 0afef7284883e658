import { runImport, type ImportEnv } from './import-run';

/**
 * For the import's crash tests (import-run.test.ts, import-hold.test.ts): runs a job that fails like
 * a closed tab at the `nowCall`-th read of the clock or the `progressCall`-th progress report (which
 * runs inside a batch's transaction, after its writes). Resolves to what it threw.
 */
export async function crashImport(env: ImportEnv, jobId: string, rows: readonly string[][], at: { nowCall?: number; progressCall?: number }): Promise<unknown> {
  let nows = 0;
  let progress = 0;
  const crashing: ImportEnv = {
    ...env,
    now: () => {
      if (++nows === at.nowCall) throw new Error('tab closed');
      return env.now();
    },
  };
  try {
    await runImport(crashing, jobId, rows, () => {
      if (++progress === at.progressCall) throw new Error('tab closed');
    });
  } catch (e) {
    return e;
  }
  return undefined;
}
