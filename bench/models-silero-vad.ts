import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { decodeAudio } from '../src/models/audio';
import { findRepoRoot } from '../src/models/model-dirs';
import { modelPath } from '../src/models/install/model-files';
import { SILERO_VAD } from '../src/models/registry/silero-vad';
import { VAD_SAMPLE_RATE, VAD_WINDOW_SAMPLES, VoiceActivityDetector } from '../src/models/voice-activity-detection/voice-activity-detector';
import { median, round, timeRuns, type ModelBenchPart } from './model-bench';

const FIXTURE = 'what_do_you_see.wav';
const CONTEXT_SAMPLES = 64;

/** Speech probabilities window by window with a session on this thread, as the npm package runs it. */
async function bareProbabilities(session: ort.InferenceSession, samples: Float32Array): Promise<number[]> {
  const probabilities: number[] = [];
  let state = new Float32Array(2 * 128);
  const input = new Float32Array(CONTEXT_SAMPLES + VAD_WINDOW_SAMPLES);
  const sr = new ort.Tensor('int64', BigInt64Array.of(BigInt(VAD_SAMPLE_RATE)), []);
  for (let at = 0; at < samples.length; at += VAD_WINDOW_SAMPLES) {
    input.copyWithin(0, VAD_WINDOW_SAMPLES);
    input.fill(0, CONTEXT_SAMPLES);
    input.set(samples.subarray(at, at + VAD_WINDOW_SAMPLES), CONTEXT_SAMPLES);
    const out = await session.run({
      input: new ort.Tensor('float32', input, [1, input.length]),
      state: new ort.Tensor('float32', state, [2, 1, 128]),
      sr,
    });
    probabilities.push((out.output.data as Float32Array)[0]);
    state = new Float32Array(out.stateN.data as Float32Array);
  }
  return probabilities;
}

/**
 * Silero VAD on a 2.1 s fixture: bare window-by-window session.run on this thread vs
 * VoiceActivityDetector.speechSegments (one message to the session thread per 32 ms window).
 */
export const benchSileroVad: ModelBenchPart = {
  name: 'silero_vad',
  manifests: [SILERO_VAD],
  async run({ modelDir, runs, log }) {
    const dir = modelPath(modelDir, SILERO_VAD);
    const wav = readFileSync(path.resolve(findRepoRoot(), '..', 'shared', 'fixtures', 'audio', FIXTURE));
    const { samples } = decodeAudio({ data: wav, format: 'wav' }, VAD_SAMPLE_RATE);
    const audioMs = (samples.length / VAD_SAMPLE_RATE) * 1000;
    const windows = Math.ceil(samples.length / VAD_WINDOW_SAMPLES);

    const session = await ort.InferenceSession.create(path.join(dir, SILERO_VAD.files[0].name), { executionProviders: ['cpu'], intraOpNumThreads: 1 });
    const bare = await timeRuns(runs, () => bareProbabilities(session, samples));
    await session.release();

    const vad = await VoiceActivityDetector.load(dir);
    try {
      const threaded = await timeRuns(runs, () => vad.speechSegments(samples));
      const probabilities = await vad.speechProbabilities(samples);
      const maxDiff = Math.max(...bare.last.map((p, i) => Math.abs(p - probabilities[i])));
      const segments = threaded.last.map((s) => `${Math.round(s.startMs)}-${Math.round(s.endMs)}`).join(' ');
      log(`${FIXTURE}: ${audioMs.toFixed(0)} ms, ${windows} windows; bare ${median(bare.ms).toFixed(1)} ms, detector ${median(threaded.ms).toFixed(1)} ms; segments ${segments} ms`);
      return {
        fixture: FIXTURE,
        audio_ms: round(audioMs, 0),
        windows,
        bare_ort_ms: round(median(bare.ms), 1),
        bare_ms_per_window: round(median(bare.ms) / windows, 3),
        runtime_ms: round(median(threaded.ms), 1),
        runtime_ms_per_window: round(median(threaded.ms) / windows, 3),
        runtime_over_bare_ratio: round(median(threaded.ms) / median(bare.ms), 2),
        runtime_real_time_factor: round(median(threaded.ms) / audioMs, 4),
        max_probability_difference: maxDiff,
        speech_segments_ms: segments,
      };
    } finally {
      await vad.close();
    }
  },
};
