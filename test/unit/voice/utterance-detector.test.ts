import { UtteranceDetector } from '../../../src/voice/utterance-detector';

const WINDOW = 512;
const WINDOW_MS = 32;
const settings = { threshold: 0.5, silenceMs: 320, prefixPaddingMs: 96, minSpeechMs: 96, maxUtteranceMs: 3200 };

/** Windows whose samples all hold `value` (so where they end up in an utterance can be read back). */
function run(detector: UtteranceDetector, probabilities: number[]) {
  return probabilities.map((p, i) => detector.push(new Float32Array(WINDOW).fill(i), p)).filter((u) => u !== undefined);
}

test('speech between silences is one utterance with its prefix padding and a short tail; its times are stream times', () => {
  const d = new UtteranceDetector(settings);
  const probs = [...Array(10).fill(0.01), ...Array(8).fill(0.9), ...Array(12).fill(0.01)];
  const [u, ...rest] = run(d, probs);
  expect(rest).toEqual([]);
  expect(u.startMs).toBe((10 - 3) * WINDOW_MS); // 96 ms of padding = 3 windows before the first speech window
  expect(u.speechEndMs).toBe(18 * WINDOW_MS);
  expect(u.samples[0]).toBe(7);
  // 3 padding windows, 8 speech windows, then 200 ms of the silence that ended it
  expect(u.samples.length).toBe((3 + 8) * WINDOW + Math.round(0.2 * 16000));
  expect(u.truncated).toBe(false);
});

test('silence alone, and a click shorter than minSpeechMs, make no utterance', () => {
  const d = new UtteranceDetector(settings);
  expect(run(d, Array(100).fill(0.02))).toEqual([]);
  expect(run(d, [0.9, 0.9, ...Array(20).fill(0.02)])).toEqual([]);
});

test('a pause shorter than silenceMs stays inside the utterance; a longer one ends it', () => {
  const d = new UtteranceDetector(settings);
  const utterances = run(d, [...Array(5).fill(0.9), ...Array(5).fill(0.02), ...Array(5).fill(0.9), ...Array(12).fill(0.02), ...Array(5).fill(0.9), ...Array(12).fill(0.02)]);
  expect(utterances).toHaveLength(2);
  expect(utterances[0].speechEndMs).toBe(15 * WINDOW_MS);
});

test('speech that goes on is cut at maxUtteranceMs, and what follows is the next utterance', () => {
  const d = new UtteranceDetector(settings);
  const utterances = run(d, [...Array(150).fill(0.9), ...Array(12).fill(0.02)]);
  expect(utterances[0]).toMatchObject({ truncated: true });
  expect((utterances[0].samples.length / 16000) * 1000).toBeGreaterThanOrEqual(settings.maxUtteranceMs);
  expect(utterances.length).toBeGreaterThan(1);
});

test('flush ends an open utterance (the stream stopped mid-sentence)', () => {
  const d = new UtteranceDetector(settings);
  expect(run(d, Array(6).fill(0.9))).toEqual([]);
  expect(d.inSpeech).toBe(true);
  expect(d.flush()).toMatchObject({ speechMs: 6 * WINDOW_MS });
  expect(d.flush()).toBeUndefined();
});
