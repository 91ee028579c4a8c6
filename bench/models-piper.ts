import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { MockActivityEnvironment } from '@temporalio/testing';
import * as ort from 'onnxruntime-node';
import { createInferenceActivities } from '../src/activities/inference-activities';
import { modelPath } from '../src/models/install/model-files';
import { EspeakPhonemizer } from '../src/models/speech-synthesis/espeak-phonemizer';
import { PIPER_EN_US_JOE_MEDIUM } from '../src/models/registry/piper-en-us-joe-medium';
import { phonemeIds } from '../src/models/speech-synthesis/phoneme-ids';
import { sentencePhonemes } from '../src/models/speech-synthesis/piper-synthesizer';
import { splitSentences } from '../src/models/speech-synthesis/sentences';
import { readVoiceConfig } from '../src/models/speech-synthesis/voice-config';
import type { SpeechResult } from '../src/shared/model-results';
import type { ModelRun } from '../src/shared/model-run';
import { loopLagDuring, median, round, runtimeWith, timeRuns, type ModelBenchPart } from './model-bench';

const SENTENCE = 'Hello world, I am the robot.';
const PARAGRAPH = 'Hello world, I am the robot. I can see a person in front of me. Please follow me to the kitchen!';

/** The ids the runtime would feed for `text` (one sentence). */
async function idsFor(text: string, language: string, config: Awaited<ReturnType<typeof readVoiceConfig>>): Promise<number[]> {
  const phonemizer = await EspeakPhonemizer.start(language);
  try {
    const [clauses] = splitSentences(text);
    return phonemeIds(sentencePhonemes(clauses, await phonemizer.phonemize(clauses.map((c) => c.text))), config).ids;
  } finally {
    await phonemizer.close();
  }
}

/**
 * Piper en_US-joe-medium: one sentence as bare session.run (phoneme ids precomputed), through the
 * runtime (espeak-ng + session threads) and through runTtsModel; real-time factors; and the time to
 * the first streamed chunk of a three-sentence paragraph.
 */
export const benchPiper: ModelBenchPart = {
  name: 'piper',
  manifests: [PIPER_EN_US_JOE_MEDIUM],
  async run({ modelDir, runs, log }) {
    const dir = modelPath(modelDir, PIPER_EN_US_JOE_MEDIUM);
    const config = await readVoiceConfig(path.join(dir, 'en_US-joe-medium.onnx.json'));
    const ids = await idsFor(SENTENCE, config.espeak.voice, config);
    const rate = config.audio.sample_rate;

    const session = await ort.InferenceSession.create(path.join(dir, 'en_US-joe-medium.onnx'), { executionProviders: ['cpu'], intraOpNumThreads: 1 });
    const { noise_scale, length_scale, noise_w } = config.inference;
    const feeds = () => ({
      input: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
      input_lengths: new ort.Tensor('int64', BigInt64Array.of(BigInt(ids.length)), [1]),
      scales: new ort.Tensor('float32', Float32Array.of(noise_scale, length_scale, noise_w), [3]),
    });
    const bareAudioMs: number[] = [];
    const bare = await timeRuns(runs, async () => {
      const output = await session.run(feeds());
      bareAudioMs.push((output.output.data.length / rate) * 1000);
    });
    await session.release();
    log(`bare session.run: median ${median(bare.ms).toFixed(0)} ms for ${median(bareAudioMs).toFixed(0)} ms of audio`);

    const { runtime, dispose } = await runtimeWith(modelDir, [PIPER_EN_US_JOE_MEDIUM]);
    try {
      const runtimeAudioMs: number[] = [];
      const viaRuntime = await timeRuns(runs, async () => {
        const output = await runtime.synthesize(SENTENCE);
        runtimeAudioMs.push(output.result.duration_ms);
        return output;
      });
      const runtimeRtf = viaRuntime.ms.map((ms, i) => ms / runtimeAudioMs.slice(-runs)[i]);
      log(`runtime.synthesize: median ${median(viaRuntime.ms).toFixed(0)} ms, timings of the last ${JSON.stringify(viaRuntime.last.timings)}`);

      const activities = createInferenceActivities({ runtime, maxPayloadBytes: 10_000_000 });
      const envelope = { task_id: 'bench-tts', task_type: 'voice.tts' as const, payload: { text: SENTENCE }, meta: {}, priority: 6 };
      const viaActivity = await timeRuns(runs, () => new MockActivityEnvironment().run(activities.runTtsModel, { envelope }));
      const activityAudioMs = (viaActivity.last as ModelRun<SpeechResult>).result.duration_ms;
      log(`runTtsModel activity: median ${median(viaActivity.ms).toFixed(0)} ms`);

      const firstChunkMs: number[] = [];
      const { value: paragraph, p99Ms: lagP99Ms, maxMs: lagMaxMs } = await loopLagDuring(() =>
        timeRuns(runs, async () => {
          const started = performance.now();
          let first: number | undefined;
          const output = await runtime.synthesize(PARAGRAPH, { onChunk: () => (first ??= performance.now() - started) });
          firstChunkMs.push(first ?? NaN);
          return output;
        }),
      );
      log(
        `3-sentence paragraph: median ${median(paragraph.ms).toFixed(0)} ms for ${paragraph.last.result.duration_ms.toFixed(0)} ms of audio, first chunk after ${median(firstChunkMs).toFixed(0)} ms; ` +
          `event-loop lag meanwhile p99 ${lagP99Ms.toFixed(1)} ms, max ${lagMaxMs.toFixed(1)} ms`,
      );

      const bareMs = median(bare.ms);
      return {
        sentence: SENTENCE,
        sentence_audio_ms: round(median(bareAudioMs), 0),
        bare_ort_ms: round(bareMs, 1),
        bare_real_time_factor: round(bareMs / median(bareAudioMs), 3),
        runtime_ms: round(median(viaRuntime.ms), 1),
        runtime_inference_ms: round(viaRuntime.last.timings.inference_ms, 1),
        runtime_phonemize_ms: round(viaRuntime.last.timings.preprocess_ms, 1),
        runtime_real_time_factor: round(median(runtimeRtf), 3),
        runtime_over_bare_ratio: round(median(viaRuntime.ms) / bareMs, 2),
        activity_ms: round(median(viaActivity.ms), 1),
        activity_real_time_factor: round(median(viaActivity.ms) / activityAudioMs, 3),
        activity_over_bare_ratio: round(median(viaActivity.ms) / bareMs, 2),
        paragraph_audio_ms: round(paragraph.last.result.duration_ms, 0),
        paragraph_ms: round(median(paragraph.ms), 1),
        paragraph_real_time_factor: round(median(paragraph.ms) / paragraph.last.result.duration_ms, 3),
        paragraph_first_chunk_ms: round(median(firstChunkMs), 1),
        paragraph_event_loop_lag_p99_ms: round(lagP99Ms, 1),
        paragraph_event_loop_lag_max_ms: round(lagMaxMs, 1),
      };
    } finally {
      await dispose();
    }
  },
};
