import { performance } from 'node:perf_hooks';
import type { SpeechChunkInfo, SpeechResult } from '../../shared/model-results';
import { encodeWav } from '../audio';
import type { InferenceOutput } from '../registry/model-capabilities';
import { ModelInputError } from '../registry/model-errors';

/** Longest text one call speaks (the task validator's limit too). */
export const MAX_TTS_TEXT_CHARS = 2000;
/** Pause between sentences, at the start of every chunk but the first (Piper's `sentence_silence` default). */
export const SENTENCE_PAUSE_MS = 200;
/** Each sentence is scaled so its loudest sample reaches this fraction of full scale (Piper scales to 1.0). */
const PEAK_LEVEL = 0.9;

/** Empty text or text over MAX_TTS_TEXT_CHARS is a ModelInputError. */
export function checkSpeechText(text: string): void {
  if (typeof text !== 'string' || text.trim() === '') throw new ModelInputError('text is empty: give the words to speak');
  if (text.length > MAX_TTS_TEXT_CHARS) {
    throw new ModelInputError(`text is ${text.length} characters long, over the ${MAX_TTS_TEXT_CHARS}-character limit of one speech task`);
  }
}

/** 16-bit PCM scaled so the loudest sample sits at PEAK_LEVEL; plain indexed loops, as this runs on the event loop. */
function pcm16AtPeak(audio: Float32Array): Int16Array {
  let peak = 0.01;
  for (let i = 0; i < audio.length; i++) {
    const magnitude = audio[i] < 0 ? -audio[i] : audio[i];
    if (magnitude > peak) peak = magnitude;
  }
  const scale = (PEAK_LEVEL / peak) * 32767;
  const out = new Int16Array(audio.length);
  for (let i = 0; i < audio.length; i++) {
    const value = audio[i] * scale;
    out[i] = value < 0 ? value - 0.5 : value + 0.5;
  }
  return out;
}

function concat(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export interface SpeechChunk {
  pcm: Int16Array;
  sampleRate: number;
  seq: number;
}

/**
 * A synthesizer's sentences put together as the WAV a speech task answers with: each sentence at
 * 90 % peak, 200 ms of silence before every sentence but the first, and where each lies (`chunks`).
 */
export class SpeechAssembly {
  private readonly pause: Int16Array;
  private readonly chunks: SpeechChunkInfo[] = [];
  private readonly parts: Int16Array[] = [];
  private offset = 0;

  constructor(readonly sampleRate: number) {
    this.pause = new Int16Array(Math.round((SENTENCE_PAUSE_MS / 1000) * sampleRate));
  }

  /** Adds one sentence's audio (floats in -1..1); returns the chunk as it is streamed. */
  add(text: string, audio: Float32Array): SpeechChunk {
    const speech = pcm16AtPeak(audio);
    const pcm = this.chunks.length > 0 ? concat([this.pause, speech]) : speech;
    const seq = this.chunks.length;
    this.chunks.push({ seq, text, start_sample: this.offset, samples: pcm.length, duration_ms: (pcm.length / this.sampleRate) * 1000 });
    this.parts.push(pcm);
    this.offset += pcm.length;
    return { pcm, sampleRate: this.sampleRate, seq };
  }

  get durationMs(): number {
    return (this.offset / this.sampleRate) * 1000;
  }

  /** The WAV of every sentence added; text with no speakable sentence is a ModelInputError. */
  result(): SpeechResult {
    if (this.chunks.length === 0) throw new ModelInputError('text has nothing speakable (no words espeak-ng could pronounce)');
    const wav = encodeWav(concat(this.parts), this.sampleRate);
    return { audio_base64: Buffer.from(wav).toString('base64'), format: 'wav', sample_rate: this.sampleRate, duration_ms: this.durationMs, chunks: [...this.chunks] };
  }

  /** The task's output: the WAV, the model, and `timings` with the WAV's encoding and the real-time factor since `started` added. */
  output(model: InferenceOutput<SpeechResult>['model'], timings: InferenceOutput<SpeechResult>['timings'], started: number): InferenceOutput<SpeechResult> {
    const mark = performance.now();
    const result = this.result();
    const finished = performance.now();
    return {
      result,
      model,
      timings: { ...timings, postprocess_ms: timings.postprocess_ms + finished - mark, real_time_factor: (finished - started) / result.duration_ms },
    };
  }
}
