import { yieldToEventLoop } from '../runtime/event-loop-yield';
import { createFft, type Fft } from './fft';

/** Whisper's audio front end (openai/whisper audio.py). */
export const WHISPER_SAMPLE_RATE = 16_000;
export const N_FFT = 400;
export const HOP_LENGTH = 160;
/** 30 s windows: 480 000 samples, 3000 frames. */
export const CHUNK_SAMPLES = 30 * WHISPER_SAMPLE_RATE;
export const CHUNK_FRAMES = CHUNK_SAMPLES / HOP_LENGTH;

const LOG_FLOOR = 1e-10;
/** Frames computed between yields to the event loop (a few milliseconds of work). */
const FRAMES_PER_SLICE = 32;
const DYNAMIC_RANGE = 8;

/**
 * librosa.filters.mel(sr, n_fft, n_mels) with the Slaney mel scale and Slaney area normalisation,
 * as Whisper's mel_filters.npz holds it: [mels, n_fft / 2 + 1], row-major.
 */
export function slaneyMelFilters(sampleRate: number, nFft: number, mels: number): Float32Array {
  const bins = nFft / 2 + 1;
  const fftFreqs = Array.from({ length: bins }, (_, k) => (k * sampleRate) / nFft);
  const low = hzToMel(0);
  const high = hzToMel(sampleRate / 2);
  const melFreqs = Array.from({ length: mels + 2 }, (_, i) => melToHz(low + ((high - low) * i) / (mels + 1)));
  const filters = new Float32Array(mels * bins);
  for (let m = 0; m < mels; m++) {
    const lowerWidth = melFreqs[m + 1] - melFreqs[m];
    const upperWidth = melFreqs[m + 2] - melFreqs[m + 1];
    const norm = 2 / (melFreqs[m + 2] - melFreqs[m]);
    for (let k = 0; k < bins; k++) {
      const rising = (fftFreqs[k] - melFreqs[m]) / lowerWidth;
      const falling = (melFreqs[m + 2] - fftFreqs[k]) / upperWidth;
      filters[m * bins + k] = Math.max(0, Math.min(rising, falling)) * norm;
    }
  }
  return filters;
}

const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOG_STEP = Math.log(6.4) / 27;

function hzToMel(hz: number): number {
  return hz < MIN_LOG_HZ ? hz / F_SP : MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP;
}

function melToHz(mel: number): number {
  return mel < MIN_LOG_MEL ? F_SP * mel : MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL));
}

/** Computes Whisper log-mel features for up to 30 s of 16 kHz audio. */
export class LogMelExtractor {
  private readonly fft: Fft = createFft(N_FFT);
  private readonly window = new Float64Array(N_FFT);
  private readonly filters: Float32Array;
  private readonly bins = N_FFT / 2 + 1;

  constructor(readonly mels: number = 80) {
    for (let i = 0; i < N_FFT; i++) this.window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / N_FFT);
    this.filters = slaneyMelFilters(WHISPER_SAMPLE_RATE, N_FFT, mels);
  }

  /**
   * [mels, 3000] row-major: the audio zero-padded (or cut) to 30 s, STFT with a periodic Hann window,
   * reflect padding and hop 160 (the last frame dropped), power through the mel filters, log10
   * floored at 1e-10 and at (max - 8), then (x + 4) / 4. Yields to the event loop every few
   * milliseconds of work.
   */
  async extract(samples: Float32Array): Promise<Float32Array> {
    const audio = new Float32Array(CHUNK_SAMPLES);
    audio.set(samples.subarray(0, CHUNK_SAMPLES));
    const audible = Math.min(samples.length, CHUNK_SAMPLES);
    const half = N_FFT / 2;
    const at = (i: number): number => {
      if (i < 0) return audio[-i];
      if (i >= CHUNK_SAMPLES) return audio[2 * (CHUNK_SAMPLES - 1) - i];
      return audio[i];
    };
    const features = new Float32Array(this.mels * CHUNK_FRAMES);
    const re = new Float64Array(N_FFT);
    const im = new Float64Array(N_FFT);
    const outRe = new Float64Array(N_FFT);
    const outIm = new Float64Array(N_FFT);
    const power = new Float64Array(this.bins);
    const silentLog = Math.log10(LOG_FLOOR);
    let max = -Infinity;
    for (let frame = 0; frame < CHUNK_FRAMES; frame++) {
      if (frame % FRAMES_PER_SLICE === FRAMES_PER_SLICE - 1) await yieldToEventLoop();
      const start = frame * HOP_LENGTH - half;
      // Frames wholly inside the zero padding have no energy: skip their FFT.
      if (start >= audible && 2 * (CHUNK_SAMPLES - 1) - (start + N_FFT - 1) >= audible) {
        for (let m = 0; m < this.mels; m++) features[m * CHUNK_FRAMES + frame] = silentLog;
        max = Math.max(max, silentLog);
        continue;
      }
      for (let i = 0; i < N_FFT; i++) {
        re[i] = at(start + i) * this.window[i];
        im[i] = 0;
      }
      this.fft.transform(re, im, outRe, outIm);
      for (let k = 0; k < this.bins; k++) power[k] = outRe[k] * outRe[k] + outIm[k] * outIm[k];
      for (let m = 0; m < this.mels; m++) {
        let sum = 0;
        const row = m * this.bins;
        for (let k = 0; k < this.bins; k++) sum += this.filters[row + k] * power[k];
        const value = Math.log10(Math.max(sum, LOG_FLOOR));
        features[m * CHUNK_FRAMES + frame] = value;
        if (value > max) max = value;
      }
    }
    const floor = max - DYNAMIC_RANGE;
    for (let i = 0; i < features.length; i++) features[i] = (Math.max(features[i], floor) + 4) / 4;
    return features;
  }
}
