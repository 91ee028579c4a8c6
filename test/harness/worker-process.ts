import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { findRepoRoot } from '../../src/models/model-dirs';
import type { Hardware } from '../../src/shared/task-types';
import { LoggedProcess } from './logged-process';

/** Where an inference worker process connects, what it serves and what it loads. */
export interface WorkerProcessSettings {
  temporalAddress: string;
  queuePrefix: string;
  modelDir: string;
  hardware: Hardware;
  /** Inference tasks run at once (default: the worker's own default). */
  slots?: number;
  /** More variables on top of the test process's environment. */
  env?: NodeJS.ProcessEnv;
}

/**
 * `node dist/src/main/inference-worker.js --hardware <hw>` as its own process (so a test can
 * SIGKILL it), with its JSON log lines. Metrics and tracing are off: nothing else binds a port.
 */
export class InferenceWorkerProcess extends LoggedProcess {
  /** Starts a worker and waits for its `polling` line (worker created; its models warm or, by default, still loading). */
  static async start(settings: WorkerProcessSettings, timeoutMs = 120_000): Promise<InferenceWorkerProcess> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TEMPORAL_ADDRESS: settings.temporalAddress,
      OFFLOAD_TASK_QUEUE_PREFIX: settings.queuePrefix,
      OFFLOAD_MODEL_DIR: settings.modelDir,
      OFFLOAD_WORKER_METRICS_PORT: 'off',
      OFFLOAD_TRACING: 'off',
      OFFLOAD_LOG_LEVEL: 'info',
      ...(settings.slots ? { OFFLOAD_WORKER_SLOTS: String(settings.slots) } : {}),
      ...settings.env,
    };
    const script = resolve(findRepoRoot(), 'dist/src/main/inference-worker.js');
    const child = spawn(process.execPath, [script, '--hardware', settings.hardware], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const worker = new InferenceWorkerProcess(child, 'inference worker');
    try {
      await worker.waitForLine((l) => l.msg === 'polling', timeoutMs);
    } catch (err) {
      await worker.kill();
      throw err;
    }
    return worker;
  }

  /** Lines this worker logged for model activities that returned a result. */
  completedActivities(): Array<Record<string, unknown>> {
    return this.lines.filter((l) => l.msg === 'model activity completed');
  }
}
