import { ModelInputError } from '../registry/model-errors';

export interface SpeechSegment {
  startMs: number;
  endMs: number;
}

/** How chunk probabilities become speech segments (Silero's `get_speech_timestamps` defaults). */
export interface SpeechSegmentOptions {
  /** A chunk whose speech probability is at or above this starts or continues speech (default 0.5). */
  threshold?: number;
  /** Speech ends only where the probability falls below this (default `threshold - 0.15`, at least 0.01). */
  negThreshold?: number;
  /** Segments shorter than this are dropped as clicks or noise (default 250 ms). */
  minSpeechMs?: number;
  /** A pause must last this long to end a segment; shorter pauses stay inside it (default 100 ms). */
  minSilenceMs?: number;
  /** Each segment is widened by this much on both sides, never overlapping its neighbours (default 30 ms). */
  speechPadMs?: number;
}

export interface ResolvedSegmentOptions {
  threshold: number;
  negThreshold: number;
  minSpeechMs: number;
  minSilenceMs: number;
  speechPadMs: number;
}

function probability(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0 && value < 1)) {
    throw new ModelInputError(`VAD ${name} must be a number between 0 and 1 (exclusive), got ${String(value)}`);
  }
  return value;
}

function duration(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 0 && value <= 60_000)) {
    throw new ModelInputError(`VAD ${name} must be a number of milliseconds between 0 and 60000, got ${String(value)}`);
  }
  return value;
}

export function resolveSegmentOptions(options: SpeechSegmentOptions = {}): ResolvedSegmentOptions {
  const threshold = probability('threshold', options.threshold, 0.5);
  const negThreshold = probability('negThreshold', options.negThreshold, Math.max(threshold - 0.15, 0.01));
  if (negThreshold > threshold) throw new ModelInputError(`VAD negThreshold (${negThreshold}) must not exceed threshold (${threshold})`);
  return {
    threshold,
    negThreshold,
    minSpeechMs: duration('minSpeechMs', options.minSpeechMs, 250),
    minSilenceMs: duration('minSilenceMs', options.minSilenceMs, 100),
    speechPadMs: duration('speechPadMs', options.speechPadMs, 30),
  };
}

interface SampleRange {
  start: number;
  end: number;
}

/**
 * Silero's `get_speech_timestamps` over per-window speech probabilities: speech starts at the first
 * window at or above `threshold`, ends at the first window below `negThreshold` once the dip has
 * lasted `minSilenceMs`, short segments are dropped, and the rest are padded.
 */
export function speechSegmentsFromProbabilities(
  probabilities: ArrayLike<number>,
  windowSamples: number,
  totalSamples: number,
  sampleRate: number,
  options: ResolvedSegmentOptions,
): SpeechSegment[] {
  const samples = (ms: number): number => (sampleRate * ms) / 1000;
  const minSpeech = samples(options.minSpeechMs);
  const minSilence = samples(options.minSilenceMs);
  const pad = samples(options.speechPadMs);
  const speeches: SampleRange[] = [];
  let start: number | undefined;
  let silenceSince = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i];
    const at = i * windowSamples;
    if (p >= options.threshold && silenceSince) silenceSince = 0;
    if (p >= options.threshold && start === undefined) {
      start = at;
      continue;
    }
    if (p < options.negThreshold && start !== undefined) {
      if (!silenceSince) silenceSince = at;
      if (at - silenceSince < minSilence) continue;
      if (silenceSince - start > minSpeech) speeches.push({ start, end: silenceSince });
      start = undefined;
      silenceSince = 0;
    }
  }
  if (start !== undefined && totalSamples - start > minSpeech) speeches.push({ start, end: totalSamples });
  padSegments(speeches, pad, totalSamples);
  return speeches.map(({ start: s, end }) => ({ startMs: (s / sampleRate) * 1000, endMs: (end / sampleRate) * 1000 }));
}

/** Widens each range by `pad`; where two ranges are closer than twice that, they meet half-way. */
function padSegments(speeches: SampleRange[], pad: number, totalSamples: number): void {
  for (let i = 0; i < speeches.length; i++) {
    const speech = speeches[i];
    if (i === 0) speech.start = Math.max(0, Math.floor(speech.start - pad));
    const next = speeches[i + 1];
    if (!next) {
      speech.end = Math.min(totalSamples, Math.floor(speech.end + pad));
      continue;
    }
    const gap = next.start - speech.end;
    if (gap < 2 * pad) {
      speech.end += Math.floor(gap / 2);
      next.start = Math.max(0, next.start - Math.floor(gap / 2));
    } else {
      speech.end = Math.min(totalSamples, Math.floor(speech.end + pad));
      next.start = Math.max(0, Math.floor(next.start - pad));
    }
  }
}
