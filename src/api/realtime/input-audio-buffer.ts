import type { EndpointingSettings } from '../../config/load-config';
import { bytesPerSample, LISTENING_RATE, toListeningRate, type WireAudioFormat } from '../../voice/audio-codec';
import { UtteranceDetector } from '../../voice/utterance-detector';
import { protocolError, type ProtocolError } from './errors';

/** The API refuses to commit less audio than this. */
export const MIN_COMMIT_MS = 100;
/** Audio kept beyond this is dropped, oldest first (the recognisers take at most 60 s). */
export const MAX_BUFFER_MS = 60_000;

/** Audio that became a user item: 16 kHz samples, and where they lie in all audio the session was sent. */
export interface CommittedAudio {
  itemId: string;
  samples: Float32Array;
  audioStartMs: number;
  audioEndMs: number;
}

export type BufferEvent =
  | { type: 'speech_started'; itemId: string; audioStartMs: number }
  | { type: 'speech_stopped'; itemId: string; audioEndMs: number }
  | { type: 'committed'; audio: CommittedAudio };

export interface InputAudioBufferOptions {
  format: WireAudioFormat;
  /** Server VAD's endpointing (from the session's turn detection); none: the client commits. */
  endpointing: EndpointingSettings | null;
  /** Samples per VAD window (the scorer's: 512 for Silero at 16 kHz). */
  windowSamples: number;
  newItemId: () => string;
}

const msOf = (samples: number) => (samples / LISTENING_RATE) * 1000;

/**
 * A Realtime session's input audio buffer. `append` takes wire audio in the session's format; audio
 * is kept at 16 kHz, and offsets (`audio_start_ms`, `audio_end_ms`) count from the first audio the
 * session was sent. With server VAD, `windows()` hands out the audio the scorer has not seen and
 * `scored()` takes its probability back; the endpointer turns them into speech started / stopped and
 * commits. `commit()` is the client's own commit (allowed with VAD too), `clear()` drops the buffer.
 */
export class InputAudioBuffer {
  private chunks: Float32Array[] = [];
  /** Session-wide position (16 kHz samples) of the first sample kept, of the end, of the next window. */
  private start = 0;
  private end = 0;
  private nextWindow = 0;
  private carry: Uint8Array = new Uint8Array(0);
  private detector: UtteranceDetector | undefined;
  private detectorStart = 0;
  private scoredEnd = 0;
  private speechItemId: string | undefined;

  constructor(private options: InputAudioBufferOptions) {
    this.resetDetector();
  }

  get bufferedMs(): number {
    return msOf(this.end - this.start);
  }

  /** Ms of audio the session has been sent so far. */
  get writtenMs(): number {
    return msOf(this.end);
  }

  /** A new format or turn detection (`session.update`): the endpointer starts afresh, held audio stays. */
  reconfigure(changes: Partial<Pick<InputAudioBufferOptions, 'format' | 'endpointing'>>): void {
    if (changes.format && changes.format !== this.options.format) this.carry = new Uint8Array(0);
    this.options = { ...this.options, ...changes };
    if ('endpointing' in changes) this.resetDetector();
  }

  /** Wire bytes of the session's format; a pcm16 sample split across appends is joined. */
  append(bytes: Uint8Array): void {
    const joined = this.carry.length > 0 ? concatBytes(this.carry, bytes) : bytes;
    const whole = joined.length - (joined.length % bytesPerSample(this.options.format));
    this.carry = joined.slice(whole);
    if (whole === 0) return;
    const samples = toListeningRate(this.options.format, joined.subarray(0, whole));
    this.chunks.push(samples);
    this.end += samples.length;
    this.dropBefore(this.end - Math.round((MAX_BUFFER_MS / 1000) * LISTENING_RATE));
  }

  /** Server VAD: the next windows to score, in order (none without server VAD). */
  windows(): Float32Array[] {
    if (!this.detector) return [];
    const out: Float32Array[] = [];
    const size = this.options.windowSamples;
    this.nextWindow = Math.max(this.nextWindow, this.start);
    for (; this.nextWindow + size <= this.end; this.nextWindow += size) out.push(this.read(this.nextWindow, this.nextWindow + size));
    return out;
  }

  /** Server VAD: a window from `windows()` and its speech probability, in the order they were handed out. */
  scored(window: Float32Array, probability: number): BufferEvent[] {
    const detector = this.detector;
    if (!detector) return [];
    const wasInSpeech = detector.inSpeech;
    const utterance = detector.push(window, probability);
    this.scoredEnd += window.length;
    const windowEnd = this.scoredEnd;
    const events: BufferEvent[] = [];
    const opened = detector.openUtteranceStartMs;
    if (!wasInSpeech && opened !== undefined) {
      this.speechItemId = this.options.newItemId();
      events.push({ type: 'speech_started', itemId: this.speechItemId, audioStartMs: msOf(this.detectorStart) + opened });
    }
    const itemId = this.speechItemId;
    if (itemId && !detector.inSpeech) {
      this.speechItemId = undefined;
      events.push({ type: 'speech_stopped', itemId, audioEndMs: msOf(windowEnd) });
      if (utterance) {
        const audioStartMs = msOf(this.detectorStart) + utterance.startMs;
        events.push({ type: 'committed', audio: { itemId, samples: utterance.samples, audioStartMs, audioEndMs: audioStartMs + msOf(utterance.samples.length) } });
      }
      this.dropBefore(windowEnd);
    }
    return events;
  }

  /** The client's commit: everything held becomes one user item (an utterance the VAD had open included). */
  commit(eventId?: string): { audio: CommittedAudio } | { error: ProtocolError } {
    const heldMs = this.bufferedMs;
    if (heldMs < MIN_COMMIT_MS) {
      const message = `Error committing input audio buffer: buffer too small. Expected at least ${MIN_COMMIT_MS}ms of audio, but buffer only has ${heldMs.toFixed(2)}ms of audio.`;
      return { error: protocolError('input_audio_buffer_commit_empty', message, { eventId }) };
    }
    const audio: CommittedAudio = { itemId: this.speechItemId ?? this.options.newItemId(), samples: this.read(this.start, this.end), audioStartMs: msOf(this.start), audioEndMs: msOf(this.end) };
    this.clear();
    return { audio };
  }

  clear(): void {
    this.dropBefore(this.end);
    this.carry = new Uint8Array(0);
    this.resetDetector();
  }

  private resetDetector(): void {
    const { endpointing } = this.options;
    this.detector = endpointing ? new UtteranceDetector(endpointing, LISTENING_RATE) : undefined;
    this.detectorStart = this.end;
    this.scoredEnd = this.end;
    this.nextWindow = this.end;
    this.speechItemId = undefined;
  }

  private read(from: number, to: number): Float32Array {
    const out = new Float32Array(to - from);
    let at = this.start;
    for (const chunk of this.chunks) {
      const lo = Math.max(from, at);
      const hi = Math.min(to, at + chunk.length);
      if (hi > lo) out.set(chunk.subarray(lo - at, hi - at), lo - from);
      at += chunk.length;
    }
    return out;
  }

  private dropBefore(position: number): void {
    while (this.chunks.length > 0 && this.start + this.chunks[0].length <= position) this.start += (this.chunks.shift() as Float32Array).length;
    if (this.chunks.length > 0 && position > this.start) {
      this.chunks[0] = this.chunks[0].subarray(position - this.start);
      this.start = position;
    }
    if (this.chunks.length === 0) this.start = this.end;
  }
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
