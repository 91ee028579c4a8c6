import { performance } from 'node:perf_hooks';
import type { OffloadClient } from '../src/client/offload-client';
import type { TaskPolicy } from '../src/shared/workflow-input';
import { InferenceWorkerProcess } from '../test/harness/worker-process';

export interface WorkerColdStart {
  /** From spawning `inference-worker.js` to its `polling` line (its first model warm; the others may still load). */
  startToPollMs: number;
  /** From the spawn to its `models loaded and warm` line. */
  startToAllModelsMs: number;
  /** From the spawn to the result of a detection that was waiting in its queue. */
  startToFirstResultMs: number;
  /** Models the worker loaded. */
  models: string[];
}

/**
 * Cold start of a real inference worker process, as `npm run worker` runs it, with every model of
 * `modelDir`: a detection waits in the gpu queue (this machine's gpu worker runs on the CPU
 * provider) while the process starts; the worker is stopped with SIGTERM afterwards.
 */
export async function measureWorkerColdStart(options: {
  temporalAddress: string;
  queuePrefix: string;
  modelDir: string;
  offload: OffloadClient;
  request: unknown;
}): Promise<WorkerColdStart> {
  const policy: Partial<TaskPolicy> = { route: ['gpu'], queuePrefix: options.queuePrefix, pickupTimeoutMs: 120_000, deadlineMs: 120_000 };
  const waiting = await options.offload.submit(options.request, { wait: false, policy });
  const spawnedAt = performance.now();
  const worker = await InferenceWorkerProcess.start({
    temporalAddress: options.temporalAddress,
    queuePrefix: options.queuePrefix,
    modelDir: options.modelDir,
    hardware: 'gpu',
  });
  try {
    const pollingAt = performance.now();
    const result = await options.offload.result(waiting.task_id);
    if (result.status !== 'completed') throw new Error(`the detection waiting for the cold worker ended ${result.status}: ${result.error ?? ''}`);
    const firstResultAt = performance.now();
    const loaded = (await worker.waitForLine((line) => line.msg === 'models loaded and warm', 120_000)).models;
    return {
      startToPollMs: pollingAt - spawnedAt,
      startToFirstResultMs: firstResultAt - spawnedAt,
      startToAllModelsMs: performance.now() - spawnedAt,
      models: Array.isArray(loaded) ? loaded.map(String) : [],
    };
  } finally {
    await worker.stop();
  }
}
