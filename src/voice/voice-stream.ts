import type { EndpointingSettings } from '../config/load-config';
import { decodePcmS16le, resample } from '../models/audio';
import { VAD_SAMPLE_RATE, VAD_WINDOW_SAMPLES, type VadStream } from '../models/voice-activity-detection/voice-activity-detector';
import { ChunkSequencer, type AudioChunk } from './chunk-sequencer';
import { UtteranceDetector, type Utterance } from './utterance-detector';

/** An utterance with where it lies on the sender's clock and when the PC closed it. */
export interface StreamUtterance extends Utterance {
  /** Sender's clock (seconds) of the first sample kept and of the end of speech. */
  startTs: number;
  speechEndTs: number;
  /** PC clock (epoch ms) when the endpointer closed it. */
  closedAt: number;
}

/** Why audio of a stream was not listened to. */
export type DroppedAudio = 'late' | 'backlog';

export interface VoiceStreamOptions {
  /** A fresh VAD scorer (one per stream: it carries the recurrent state). */
  vad: VadStream;
  endpointing: EndpointingSettings;
  onUtterance: (utterance: StreamUtterance) => void;
  onDropped?: (reason: DroppedAudio, chunks: number) => void;
  /** Chunks waiting for the VAD beyond this are dropped, oldest first (default 250: 5 s of 20 ms frames). */
  maxBacklogChunks?: number;
  now?: () => number;
}

/**
 * One live audio source (a robot's microphone, a gateway client's input buffer): chunks in, in any
 * order, utterances out. Chunks are put back in order, resampled to 16 kHz, cut into the VAD's
 * 32 ms windows and scored one after another; the endpointer turns the scores into utterances.
 * The VAD runs here, in the front door: fifty chunks a second never become fifty Temporal calls.
 */
export class VoiceStream {
  private readonly sequencer = new ChunkSequencer();
  private readonly detector: UtteranceDetector;
  private readonly backlog: AudioChunk[] = [];
  private pending = new Float32Array(0);
  private firstTs: number | undefined;
  private draining: Promise<void> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: VoiceStreamOptions) {
    this.detector = new UtteranceDetector(options.endpointing, VAD_SAMPLE_RATE);
    this.now = options.now ?? Date.now;
  }

  /** Chunks waiting to be scored. */
  get backlogChunks(): number {
    return this.backlog.length;
  }

  push(chunk: AudioChunk): void {
    const { ready, late } = this.sequencer.push(chunk);
    if (late) this.options.onDropped?.('late', 1);
    this.enqueue(ready);
  }

  /** The sender paused or stopped: held chunks are scored and an open utterance ends. */
  async end(): Promise<void> {
    this.enqueue(this.sequencer.flush());
    await this.idle();
    const utterance = this.detector.flush();
    if (utterance) this.emit(utterance);
  }

  /** Resolves once every chunk pushed so far has been scored. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private enqueue(chunks: AudioChunk[]): void {
    if (chunks.length === 0) return;
    this.backlog.push(...chunks);
    const max = this.options.maxBacklogChunks ?? 250;
    if (this.backlog.length > max) {
      const dropped = this.backlog.splice(0, this.backlog.length - max);
      this.options.onDropped?.('backlog', dropped.length);
    }
    this.draining ??= this.drain();
  }

  /** Scores the backlog; `draining` is cleared in the same step that finds the backlog empty, so no chunk waits unseen. */
  private async drain(): Promise<void> {
    try {
      while (this.backlog.length > 0) await this.scoreBacklog();
    } finally {
      this.draining = undefined;
    }
  }

  private async scoreBacklog(): Promise<void> {
    for (let chunk = this.backlog.shift(); chunk; chunk = this.backlog.shift()) {
      this.firstTs ??= chunk.ts;
      const samples = decodePcmS16le(chunk.pcm);
      this.append(chunk.rate === VAD_SAMPLE_RATE ? samples : resample(samples, chunk.rate, VAD_SAMPLE_RATE));
      while (this.pending.length >= VAD_WINDOW_SAMPLES) {
        const window = this.pending.slice(0, VAD_WINDOW_SAMPLES);
        this.pending = this.pending.subarray(VAD_WINDOW_SAMPLES);
        const utterance = this.detector.push(window, await this.options.vad.score(window));
        if (utterance) this.emit(utterance);
      }
    }
  }

  private append(samples: Float32Array): void {
    const joined = new Float32Array(this.pending.length + samples.length);
    joined.set(this.pending, 0);
    joined.set(samples, this.pending.length);
    this.pending = joined;
  }

  private emit(utterance: Utterance): void {
    const base = this.firstTs ?? 0;
    this.options.onUtterance({ ...utterance, startTs: base + utterance.startMs / 1000, speechEndTs: base + utterance.speechEndMs / 1000, closedAt: this.now() });
  }
}
