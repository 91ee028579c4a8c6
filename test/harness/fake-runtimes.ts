import type { InferenceOutput, ModelRuntime } from '../../src/models';
import type { GenerationResult } from '../../src/shared/model-results';
import type { Hardware, TaskType } from '../../src/shared/task-types';

/** A stand-in model runtime for one piece of a test (the inference itself is not what is tested). */
export function fakeRuntime(hardware: Hardware, serves: TaskType[], calls: Partial<Record<'detect' | 'generate', (options?: { signal?: AbortSignal }) => Promise<InferenceOutput<unknown>>>>): ModelRuntime {
  const missing = () => Promise.reject(new Error('not served by this fake runtime'));
  return {
    hardware,
    executionProvider: 'cpu',
    installed: () => [],
    serves: (taskType: TaskType) => serves.includes(taskType),
    detect: (_image: Uint8Array, options?: { signal?: AbortSignal }) => (calls.detect ?? missing)(options),
    generate: (_request: unknown, options?: { signal?: AbortSignal }) => (calls.generate ?? missing)(options),
    transcribe: missing,
    synthesize: missing,
    understand: missing,
    close: async () => undefined,
  } as unknown as ModelRuntime;
}

/** A detector that never answers: it runs until cancelled, past any deadline on any machine. */
export function endlessDetect() {
  return (options?: { signal?: AbortSignal }) =>
    new Promise<InferenceOutput<unknown>>((_resolve, reject) => {
      options?.signal?.addEventListener('abort', () => reject(new Error('cancelled')));
    });
}

/** A generator answering `text`, from its cache on every second call. */
export function cachedGenerator() {
  let calls = 0;
  return async (): Promise<InferenceOutput<GenerationResult>> => {
    calls += 1;
    return { result: { text: 'hello', tokens_used: 12, from_cache: calls % 2 === 0 }, model: { id: 'fake-llm', kind: 'test-graph' }, timings: { preprocess_ms: 0, inference_ms: 5, postprocess_ms: 0 } };
  };
}
