import { performance } from 'node:perf_hooks';

/** Runs `once` `runs` times, one at a time; how long each took, in ms. */
export async function timeSequential(runs: number, once: () => Promise<unknown>): Promise<number[]> {
  const latenciesMs: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await once();
    latenciesMs.push(performance.now() - started);
  }
  return latenciesMs;
}

/** What a closed-loop run did. */
export interface ClosedLoopRun {
  completed: number;
  failed: number;
  elapsedMs: number;
}

/**
 * `concurrency` lanes call `once` back to back until `durationMs` has passed; `once` resolves true
 * for a job that completed, false for one that failed.
 */
export async function runClosedLoop(concurrency: number, durationMs: number, once: () => Promise<boolean>): Promise<ClosedLoopRun> {
  let completed = 0;
  let failed = 0;
  const started = performance.now();
  const until = started + durationMs;
  const lane = async (): Promise<void> => {
    while (performance.now() < until) {
      if (await once()) completed++;
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { completed, failed, elapsedMs: performance.now() - started };
}
