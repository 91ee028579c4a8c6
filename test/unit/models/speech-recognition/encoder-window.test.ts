import { encoderFrames, firstFrames } from '../../../../src/models/speech-recognition/encoder-window';

test('an export with short windows encodes speech + 1 s in 15 s or 30 s; others always 30 s', () => {
  const seconds = (s: number): number => s * 16_000;
  expect(encoderFrames(seconds(2), false)).toBe(3000);
  expect(encoderFrames(seconds(2), true)).toBe(1500);
  expect(encoderFrames(seconds(13.9), true)).toBe(1500);
  expect(encoderFrames(seconds(14.5), true)).toBe(3000);
  expect(encoderFrames(seconds(30), true)).toBe(3000);
});

test('the first frames of each mel bin, in the same [bins][frames] layout', () => {
  const features = Float32Array.from({ length: 2 * 3000 }, (_, i) => i);
  expect(Array.from(firstFrames(features, 2, 2))).toEqual([0, 1, 3000, 3001]);
  expect(firstFrames(features, 2, 3000)).toBe(features);
});
