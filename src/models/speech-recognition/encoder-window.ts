import { CHUNK_FRAMES, HOP_LENGTH } from './log-mel';

/** Speech is encoded in windows of 15 or 30 s (when the encoder takes short ones). */
const WINDOW_STEP_FRAMES = 1500;
/** Room left after the speech, so it does not run up to the window's end. */
const MARGIN_FRAMES = 100;

/**
 * Mel frames the encoder is given for `samples` (16 kHz) of one 30 s window: all 3000 unless the
 * export takes short windows (config `short_windows`), then the speech and 1 s more rounded up to
 * 15 s or 30 s. Encoding 15 s instead of 30 s halves the encoder's time and shortens every decoder
 * step's cross-attention; on the fixtures whisper-base hears as well or better (docs/models.md;
 * 10 s windows were faster still but lost "hello world").
 */
export function encoderFrames(samples: number, shortWindows: boolean): number {
  if (!shortWindows) return CHUNK_FRAMES;
  const needed = Math.ceil(samples / HOP_LENGTH) + MARGIN_FRAMES;
  return Math.min(CHUNK_FRAMES, Math.ceil(needed / WINDOW_STEP_FRAMES) * WINDOW_STEP_FRAMES);
}

/** The first `frames` of each mel bin of 30 s features laid out [bins][3000]. */
export function firstFrames(features: Float32Array, bins: number, frames: number): Float32Array {
  if (frames === CHUNK_FRAMES) return features;
  const cropped = new Float32Array(bins * frames);
  for (let bin = 0; bin < bins; bin++) cropped.set(features.subarray(bin * CHUNK_FRAMES, bin * CHUNK_FRAMES + frames), bin * frames);
  return cropped;
}
