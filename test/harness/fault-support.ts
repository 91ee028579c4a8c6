import { existsSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createModelRuntime, type ModelRuntime } from '../../src/models';
import type { Hardware } from '../../src/shared/task-types';
import type { temporal } from '@temporalio/proto';
import type { OffloadTestEnv } from './offload-env';

/**
 * Inference workers on `hardware` that load only the models `ids` (linked from the test model
 * directory): bad-input tests need few models, and the machine is shared. A task type none of them
 * serves is answered `ModelNotInstalled`, then handed back to the robot.
 */
export async function startModelSubsetWorkers(env: OffloadTestEnv, hardware: Hardware[], ids: string[]): Promise<{ close(): Promise<void> }> {
  const modelDir = modelSubsetDir(ids);
  const runtimes: ModelRuntime[] = [];
  for (const hw of hardware) {
    const runtime = await createModelRuntime({ modelDir, hardware: hw, executionProvider: hw === 'gpu' ? 'cuda' : 'cpu' });
    runtimes.push(runtime);
    await env.startInferenceWorker(hw, { runtime });
  }
  /** Closes the model sessions (after the workers have stopped). */
  const close = async () => {
    for (const runtime of runtimes.splice(0)) await runtime.close();
  };
  return { close };
}

/** A model directory holding only the models `ids` (linked from the test model directory), for workers that need few. */
export function modelSubsetDir(ids: string[]): string {
  const source = process.env.OFFLOAD_TEST_MODEL_DIR;
  if (!source) throw new Error('OFFLOAD_TEST_MODEL_DIR is not set: run the tests through jest');
  const modelDir = mkdtempSync(join(tmpdir(), 'offload-fault-models-'));
  for (const id of ids) if (existsSync(join(source, id))) symlinkSync(join(source, id), join(modelDir, id));
  return modelDir;
}

/** A JPEG that starts right (FF D8 FF ...) and stops after `keepBytes`: it passes every edge check and fails to decode. */
export function truncatedJpeg(jpeg: Buffer, keepBytes = 600): Buffer {
  return jpeg.subarray(0, keepBytes);
}

/** The attempt number each scheduled `activityType` reached (one entry per scheduled activity). */
export function activityAttempts(events: temporal.api.history.v1.IHistoryEvent[], activityType: string): number[] {
  const scheduled = new Set(events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === activityType).map((e) => String(e.eventId)));
  return events
    .filter((e) => e.activityTaskStartedEventAttributes && scheduled.has(String(e.activityTaskStartedEventAttributes.scheduledEventId)))
    .map((e) => e.activityTaskStartedEventAttributes?.attempt ?? 0);
}
