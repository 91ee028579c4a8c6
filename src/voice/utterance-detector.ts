import type { EndpointingSettings } from '../config/load-config';

/** One utterance found in a stream: its audio (16 kHz mono) and where it lies in stream time. */
export interface Utterance {
  samples: Float32Array;
  /** Stream time (ms from the stream's first sample) of the first sample kept, prefix padding included. */
  startMs: number;
  /** Stream time of the last speech window's end (of the silence that ended it, TRAILING_PAD_MS is kept). */
  speechEndMs: number;
  /** Speech windows in it, in ms. */
  speechMs: number;
  /** Cut at the maximum length while speech went on. */
  truncated: boolean;
}

/** Silence kept after the last speech window: recognisers end words better with a little of it. */
const TRAILING_PAD_MS = 200;

/**
 * Endpointing on a stream of VAD-scored windows: speech starts at a window scoring at least
 * `threshold`, ends after `silenceMs` below `threshold - 0.15`; the utterance keeps
 * `prefixPaddingMs` before its first speech window and is dropped when it holds less than
 * `minSpeechMs` of speech. Memory is bounded by `maxUtteranceMs` (plus the padding).
 */
export class UtteranceDetector {
  private readonly negThreshold: number;
  private readonly prefix: Float32Array[] = [];
  private prefixSamples = 0;
  private current: { windows: Float32Array[]; samples: number; startMs: number; speechMs: number; silenceMs: number; keptAfterSpeech: number } | undefined;
  private streamSamples = 0;

  constructor(
    private readonly settings: EndpointingSettings,
    private readonly sampleRate = 16_000,
  ) {
    this.negThreshold = Math.max(settings.threshold - 0.15, 0.01);
  }

  /** True while an utterance is open (speech heard, its end not yet). */
  get inSpeech(): boolean {
    return this.current !== undefined;
  }

  /** Stream time of the open utterance's first sample kept (prefix padding included). */
  get openUtteranceStartMs(): number | undefined {
    return this.current?.startMs;
  }

  /** Feeds the next window and its speech probability; returns the utterance it completes, if any. */
  push(window: Float32Array, probability: number): Utterance | undefined {
    const windowMs = (window.length / this.sampleRate) * 1000;
    const windowStartMs = (this.streamSamples / this.sampleRate) * 1000;
    this.streamSamples += window.length;
    const current = this.current;
    if (!current) {
      if (probability < this.settings.threshold) return this.keepAsPrefix(window);
      const startMs = windowStartMs - (this.prefixSamples / this.sampleRate) * 1000;
      this.current = { windows: [...this.prefix, window], samples: this.prefixSamples + window.length, startMs, speechMs: windowMs, silenceMs: 0, keptAfterSpeech: 0 };
      this.prefix.length = 0;
      this.prefixSamples = 0;
      return undefined;
    }
    current.windows.push(window);
    current.samples += window.length;
    if (probability >= this.negThreshold) {
      current.speechMs += current.silenceMs + windowMs;
      current.silenceMs = 0;
      current.keptAfterSpeech = current.samples;
    } else {
      current.silenceMs += windowMs;
    }
    if (current.silenceMs >= this.settings.silenceMs) return this.close(false);
    if ((current.samples / this.sampleRate) * 1000 >= this.settings.maxUtteranceMs) return this.close(true);
    return undefined;
  }

  /** The stream ended (the robot stopped sending): an open utterance ends here. */
  flush(): Utterance | undefined {
    return this.current ? this.close(false) : undefined;
  }

  private close(truncated: boolean): Utterance | undefined {
    const current = this.current;
    this.current = undefined;
    if (!current || current.speechMs < this.settings.minSpeechMs) return undefined;
    const tail = Math.round((Math.min(this.settings.silenceMs, TRAILING_PAD_MS) / 1000) * this.sampleRate);
    const kept = truncated ? current.samples : Math.min(current.samples, current.keptAfterSpeech + tail);
    const samples = new Float32Array(kept);
    let offset = 0;
    for (const w of current.windows) {
      if (offset >= kept) break;
      const part = w.subarray(0, Math.min(w.length, kept - offset));
      samples.set(part, offset);
      offset += part.length;
    }
    const speechEndMs = current.startMs + (current.keptAfterSpeech / this.sampleRate) * 1000;
    return { samples, startMs: current.startMs, speechEndMs, speechMs: current.speechMs, truncated };
  }

  private keepAsPrefix(window: Float32Array): undefined {
    this.prefix.push(window);
    this.prefixSamples += window.length;
    const limit = (this.settings.prefixPaddingMs / 1000) * this.sampleRate;
    while (this.prefix.length > 0 && this.prefixSamples - this.prefix[0].length >= limit) {
      this.prefixSamples -= (this.prefix.shift() as Float32Array).length;
    }
    if (limit === 0) {
      this.prefix.length = 0;
      this.prefixSamples = 0;
    }
    return undefined;
  }
}
