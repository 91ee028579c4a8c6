import path from 'node:path';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { LlamaChatSession } from 'node-llama-cpp';
import { createInferenceActivities } from '../src/activities/inference-activities';
import { createModelRuntime } from '../src/models/runtime/create-model-runtime';
import { modelPath } from '../src/models/install/model-files';
import { importEsm } from '../src/models/text-generation/llama/import-esm';
import { defaultLlamaThreads, DEFAULT_LLAMA_CONTEXT_SIZE } from '../src/models/text-generation/llama/llama-text-generator';
import { SMOLLM2_135M } from '../src/models/registry/smollm2-135m';
import type { GenerationResult } from '../src/shared/model-results';
import type { ModelRun } from '../src/shared/model-run';
import { loopLagDuring, median, round, timeRuns, type ModelBenchPart } from './model-bench';

const PROMPT = 'Count from 1 to 100, separated by commas.';
const MAX_TOKENS = 64;

/**
 * SmolLM2-135M-Instruct Q4_1 with llama.cpp: greedy, `MAX_TOKENS` tokens, bare node-llama-cpp on this
 * thread vs runtime.generate (llama.cpp in a worker thread, cache off) and the runTextModel activity;
 * tokens/s, time to first token, and a response-cache hit.
 */
export const benchSmolLm2: ModelBenchPart = {
  name: 'smollm2',
  manifests: [SMOLLM2_135M],
  async run({ modelDir, runs, log }) {
    const threads = defaultLlamaThreads();
    const gguf = path.join(modelPath(modelDir, SMOLLM2_135M), SMOLLM2_135M.files[0].name);
    const lib = await importEsm<typeof import('node-llama-cpp')>('node-llama-cpp');
    const llama = await lib.getLlama({ gpu: false, build: 'never', skipDownload: true, progressLogs: false, logLevel: lib.LlamaLogLevel.error, maxThreads: threads });
    const model = await llama.loadModel({ modelPath: gguf });
    const context = await model.createContext({ contextSize: DEFAULT_LLAMA_CONTEXT_SIZE, sequences: 1 });
    const sequence = context.getSequence();
    const bareTokens: number[] = [];
    const bare = await timeRuns(runs, async () => {
      await sequence.clearHistory();
      const session: LlamaChatSession = new lib.LlamaChatSession({ contextSequence: sequence, autoDisposeSequence: false });
      session.setChatHistory([]);
      const meter = sequence.tokenMeter.getState();
      const text = await session.prompt(PROMPT, { maxTokens: MAX_TOKENS, temperature: 0 });
      bareTokens.push(sequence.tokenMeter.diff(meter).usedOutputTokens);
      session.dispose({ disposeSequence: false });
      return text;
    });
    await context.dispose();
    await model.dispose();
    await llama.dispose();
    const bareMs = median(bare.ms);
    const tokens = median(bareTokens);
    log(`bare node-llama-cpp (${threads} thread${threads > 1 ? 's' : ''}): median ${bareMs.toFixed(0)} ms for ${tokens} tokens`);

    const linked = await mkdtemp(path.join(tmpdir(), 'offload-bench-models-'));
    await symlink(modelPath(modelDir, SMOLLM2_135M), modelPath(linked, SMOLLM2_135M), 'dir');
    const runtime = await createModelRuntime({ modelDir: linked, hardware: 'cpu', executionProvider: 'cpu', textGeneration: { cache: { maxEntries: 0 } } });
    const cached = await createModelRuntime({ modelDir: linked, hardware: 'cpu', executionProvider: 'cpu' });
    try {
      const request = { prompt: PROMPT, max_tokens: MAX_TOKENS, temperature: 0 };
      const firstToken: number[] = [];
      const { value: viaRuntime, p99Ms: lagP99Ms, maxMs: lagMaxMs } = await loopLagDuring(() =>
        timeRuns(runs, async () => {
          const output = await runtime.generate(request);
          firstToken.push(output.timings.first_token_ms ?? NaN);
          return output;
        }),
      );
      const runtimeTokens = viaRuntime.last.timings.completion_tokens;
      log(
        `runtime.generate: median ${median(viaRuntime.ms).toFixed(0)} ms for ${runtimeTokens} tokens, first token after ${median(firstToken).toFixed(0)} ms; ` +
          `event-loop lag meanwhile p99 ${lagP99Ms.toFixed(1)} ms, max ${lagMaxMs.toFixed(1)} ms`,
      );
      const activities = createInferenceActivities({ runtime, maxPayloadBytes: 1_000_000 });
      const envelope = { task_id: 'bench-generate', task_type: 'text.generate' as const, payload: request, meta: {}, priority: 5 };
      const viaActivity = await timeRuns(runs, () => new MockActivityEnvironment().run(activities.runTextModel, { envelope }));
      const activityText = (viaActivity.last as ModelRun<GenerationResult>).result.text;
      log(`runTextModel activity: median ${median(viaActivity.ms).toFixed(0)} ms: "${activityText.slice(0, 60)}..."`);
      const hits = await timeRuns(runs, () => cached.generate(request));
      log(`cache hit: median ${median(hits.ms).toFixed(2)} ms (from_cache ${hits.last.result.from_cache})`);

      return {
        prompt: PROMPT,
        llama_threads: threads,
        completion_tokens: runtimeTokens,
        bare_ms: round(bareMs, 0),
        bare_tokens_per_s: round((tokens / bareMs) * 1000, 1),
        runtime_ms: round(median(viaRuntime.ms), 0),
        runtime_tokens_per_s: round((runtimeTokens / median(viaRuntime.ms)) * 1000, 1),
        runtime_first_token_ms: round(median(firstToken), 0),
        runtime_event_loop_lag_p99_ms: round(lagP99Ms, 1),
        runtime_event_loop_lag_max_ms: round(lagMaxMs, 1),
        runtime_over_bare_ratio: round(median(viaRuntime.ms) / bareMs, 2),
        activity_ms: round(median(viaActivity.ms), 0),
        activity_over_bare_ratio: round(median(viaActivity.ms) / bareMs, 2),
        cache_hit_ms: round(median(hits.ms), 2),
      };
    } finally {
      await runtime.close();
      await cached.close();
      await rm(linked, { recursive: true, force: true });
    }
  },
};
