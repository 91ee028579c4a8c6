import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { MockActivityEnvironment } from '@temporalio/testing';
import * as ort from 'onnxruntime-node';
import { createInferenceActivities } from '../src/activities/inference-activities';
import { findRepoRoot } from '../src/models/model-dirs';
import { modelPath } from '../src/models/install/model-files';
import { MINILM_INTENT } from '../src/models/registry/minilm-intent';
import { encoderBatch } from '../src/models/intent-classification/sentence-embedder';
import { WordPieceTokenizer } from '../src/models/intent-classification/wordpiece-tokenizer';
import type { UnderstandingResult } from '../src/shared/model-results';
import type { ModelRun } from '../src/shared/model-run';
import { median, round, runtimeWith, timeRuns, type ModelBenchPart } from './model-bench';

const UTTERANCE = 'Please stop moving right now';

/**
 * all-MiniLM-L6-v2 (int8) intents: bare session.run of the encoder on this thread (ids precomputed)
 * vs runtime.understand (tokenize, session thread, pooling, nearest examples, entities) and the
 * runNluModel activity; plus accuracy on the labelled utterances in test/fixtures.
 */
export const benchMiniLmIntent: ModelBenchPart = {
  name: 'minilm_intent',
  manifests: [MINILM_INTENT],
  async run({ modelDir, runs, log }) {
    const dir = modelPath(modelDir, MINILM_INTENT);
    const tokenizer = await WordPieceTokenizer.fromFile(path.join(dir, 'tokenizer.json'));
    const { feeds } = encoderBatch(tokenizer, [UTTERANCE]);
    const session = await ort.InferenceSession.create(path.join(dir, 'all-minilm-l6-v2-q.onnx'), { executionProviders: ['cpu'], intraOpNumThreads: 1 });
    const ortFeeds = Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, new ort.Tensor(t.type, t.data as BigInt64Array, t.dims)]));
    const bare = await timeRuns(runs, () => session.run(ortFeeds));
    await session.release();
    log(`bare session.run: median ${median(bare.ms).toFixed(2)} ms (${feeds.input_ids.dims[1]} tokens)`);

    const loadStarted = performance.now();
    const { runtime, dispose } = await runtimeWith(modelDir, [MINILM_INTENT]);
    const loadMs = performance.now() - loadStarted;
    try {
      const viaRuntime = await timeRuns(runs, () => runtime.understand(UTTERANCE));
      log(`runtime.understand: median ${median(viaRuntime.ms).toFixed(2)} ms -> ${JSON.stringify(viaRuntime.last.result)}`);
      const activities = createInferenceActivities({ runtime, maxPayloadBytes: 1_000_000 });
      const envelope = { task_id: 'bench-nlu', task_type: 'text.nlu' as const, payload: { text: UTTERANCE }, meta: {}, priority: 5 };
      const viaActivity = await timeRuns(runs, () => new MockActivityEnvironment().run(activities.runNluModel, { envelope }));
      log(`runNluModel activity: median ${median(viaActivity.ms).toFixed(2)} ms`);

      const fixture = JSON.parse(readFileSync(path.join(findRepoRoot(), 'test', 'fixtures', 'nlu-utterances.json'), 'utf8')) as {
        utterances: { text: string; intent: string }[];
      };
      let correct = 0;
      for (const { text, intent } of fixture.utterances) if ((await runtime.understand(text)).result.intent === intent) correct++;
      log(`accuracy on ${fixture.utterances.length} labelled utterances: ${correct}/${fixture.utterances.length}`);

      const bareMs = median(bare.ms);
      return {
        utterance: UTTERANCE,
        intent: (viaActivity.last as ModelRun<UnderstandingResult>).result.intent,
        bare_ort_ms: round(bareMs, 2),
        runtime_ms: round(median(viaRuntime.ms), 2),
        runtime_inference_ms: round(viaRuntime.last.timings.inference_ms, 2),
        runtime_over_bare_ratio: round(median(viaRuntime.ms) / bareMs, 2),
        activity_ms: round(median(viaActivity.ms), 2),
        activity_over_bare_ratio: round(median(viaActivity.ms) / bareMs, 2),
        load_and_embed_examples_ms: round(loadMs, 0),
        accuracy: round(correct / fixture.utterances.length, 3),
        labelled_utterances: fixture.utterances.length,
      };
    } finally {
      await dispose();
    }
  },
};
