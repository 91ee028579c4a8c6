import type { Worker } from '@temporalio/worker';
import type { Logger } from '../telemetry/logger';

/**
 * Runs the worker until SIGINT/SIGTERM: the SDK then stops polling, lets in-flight tasks finish
 * (up to the worker's shutdownGraceTime) and `run()` resolves; `cleanup` releases the rest.
 */
export async function runUntilSignal(worker: Worker, log: Logger, cleanup: () => Promise<void>): Promise<void> {
  const announce = (signal: NodeJS.Signals) => log.info({ signal }, 'draining: no new tasks, finishing in-flight ones');
  process.once('SIGTERM', announce);
  process.once('SIGINT', announce);
  await worker.run();
  await cleanup();
  log.info('stopped');
}
