import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createInferenceActivities } from '../../../src/activities';
import { LanguageNotSupportedError, ModelInputError, ModelNotInstalledError, type ModelRuntime } from '../../../src/models';
import { ErrorType } from '../../../src/shared/errors';
import type { TaskEnvelope } from '../../../src/shared/task';
import type { TaskType } from '../../../src/shared/task-types';

const TIMINGS = { preprocess_ms: 1, inference_ms: 2, postprocess_ms: 0 };
const MODEL = { id: 'fake-detector', kind: 'real' as const };
const IMAGE = Buffer.from('a jpeg').toString('base64');

/** A runtime whose detector answers with `detect`; it serves only vision tasks. */
function runtimeWith(detect: ModelRuntime['detect']): ModelRuntime & { calls: Uint8Array[] } {
  const calls: Uint8Array[] = [];
  const unused = () => Promise.reject(new Error('not used by this test'));
  return {
    calls,
    hardware: 'cpu',
    executionProvider: 'cpu',
    installed: () => [],
    serves: (taskType: TaskType) => taskType === 'vision.detection' || taskType === 'vision.frame',
    detect: (image, options) => {
      calls.push(image);
      return detect(image, options);
    },
    transcribe: unused,
    synthesize: unused,
    generate: unused,
    understand: unused,
    close: async () => undefined,
  };
}

function envelope<T extends TaskType>(task_type: T, payload: TaskEnvelope<T>['payload'], meta: TaskEnvelope['meta'] = {}): TaskEnvelope<T> {
  return { task_id: 't-1', task_type, payload, meta, priority: 5 };
}

const quietEnv = () => new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR', () => undefined) });

/** The ApplicationFailure an activity call ends with. */
async function failureOf(run: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await run.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof ApplicationFailure)) throw new Error(`expected an ApplicationFailure, got ${String(err)}`);
  return err;
}

describe('inference activities (MockActivityEnvironment)', () => {
  test('runDetectionModel decodes the image, asks the model by id and reports hardware, provider and timings', async () => {
    const runtime = runtimeWith(async (_image, options) => ({ result: { boxes: [], image: { width: 2, height: 2 }, asked: options?.model }, model: MODEL, timings: TIMINGS }));
    const { runDetectionModel } = createInferenceActivities({ runtime, maxPayloadBytes: 1024 });
    const run = await quietEnv().run(runDetectionModel, { envelope: envelope('vision.detection', { image_base64: IMAGE }, { model: 'yolox-nano' }) });
    expect(Buffer.from(runtime.calls[0]).toString()).toBe('a jpeg');
    expect(run).toEqual({ result: { boxes: [], image: { width: 2, height: 2 }, asked: 'yolox-nano' }, model: MODEL, hardware: 'cpu', execution_provider: 'cpu', timings: TIMINGS });
  });

  test('a malformed or oversized image fails without retries before the model runs', async () => {
    const runtime = runtimeWith(() => Promise.reject(new Error('the model must not run')));
    const { runDetectionModel } = createInferenceActivities({ runtime, maxPayloadBytes: 4 });
    const bad = await failureOf(quietEnv().run(runDetectionModel, { envelope: envelope('vision.frame', { image_base64: 'not base64!' }) }));
    expect(bad).toMatchObject({ type: ErrorType.InvalidInput, nonRetryable: true, message: 'payload.image_base64: is not valid base64' });
    const large = await failureOf(quietEnv().run(runDetectionModel, { envelope: envelope('vision.frame', { image_base64: IMAGE }) }));
    expect(large).toMatchObject({ type: ErrorType.PayloadTooLarge, nonRetryable: true });
    expect(runtime.calls).toHaveLength(0);
  });

  test('model errors become the failure types the ladder acts on', async () => {
    const cases: Array<[Error, string, boolean]> = [
      [new ModelInputError('the JPEG is cut short'), ErrorType.InvalidInput, true],
      [new ModelNotInstalledError('vision.detection', '/models'), ErrorType.ModelNotInstalled, true],
      [new LanguageNotSupportedError('pl', 'smollm2-135m-instruct', ['en']), ErrorType.LanguageNotSupported, true],
      [new Error('CUDA out of memory'), ErrorType.InferenceFailed, false],
    ];
    for (const [thrown, type, nonRetryable] of cases) {
      const { runDetectionModel } = createInferenceActivities({ runtime: runtimeWith(() => Promise.reject(thrown)), maxPayloadBytes: 1024 });
      const failure = await failureOf(quietEnv().run(runDetectionModel, { envelope: envelope('vision.detection', { image_base64: IMAGE }) }));
      expect([failure.type, failure.nonRetryable, failure.message]).toEqual([type, nonRetryable, type === ErrorType.InferenceFailed ? `inference failed: ${thrown.message}` : thrown.message]);
    }
  });

  test('a task type the worker has no model for is ModelNotInstalled, not retried', async () => {
    const { runNluModel } = createInferenceActivities({ runtime: runtimeWith(() => Promise.reject(new Error('unused'))), maxPayloadBytes: 1024 });
    const failure = await failureOf(quietEnv().run(runNluModel, { envelope: envelope('text.nlu', { text: 'stop' }) }));
    expect(failure).toMatchObject({ type: ErrorType.ModelNotInstalled, nonRetryable: true });
    expect(failure.message).toMatch(/no model for text\.nlu in the model directory of this cpu worker/);
  });

  test('the activity heartbeats while the model runs (not at its start: its heartbeat timeout counts from there anyway), and hands the model its cancellation signal', async () => {
    // Heartbeat timeout 50 ms: a heartbeat every 10 ms; the model runs 60 ms.
    const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 50 }, { logger: new DefaultLogger('ERROR', () => undefined) });
    const heartbeats: unknown[] = [];
    env.on('heartbeat', (details: unknown) => heartbeats.push(details));
    let signal: AbortSignal | undefined;
    let atStart: number | undefined;
    const runtime = runtimeWith(async (_image, options) => {
      signal = options?.signal;
      atStart = heartbeats.length;
      await new Promise((resolve) => setTimeout(resolve, 60));
      return { result: { boxes: [], image: { width: 1, height: 1 } }, model: MODEL, timings: TIMINGS };
    });
    const { runDetectionModel } = createInferenceActivities({ runtime, maxPayloadBytes: 1024 });
    await env.run(runDetectionModel, { envelope: envelope('vision.detection', { image_base64: IMAGE }) });
    expect(atStart).toBe(0);
    expect(heartbeats.length).toBeGreaterThanOrEqual(1);
    expect(signal).toBe(env.context.cancellationSignal);
  });
});
