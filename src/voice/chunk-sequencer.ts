/** One capture frame of a live audio stream, as the robot sends it. */
export interface AudioChunk {
  /** The sender's capture time, seconds (robot clock). */
  ts: number;
  /** Sample rate of `pcm`. */
  rate: number;
  /** Raw PCM s16le mono. */
  pcm: Buffer;
}

export interface SequencedChunks {
  /** Chunks in capture order, ready to process. */
  ready: AudioChunk[];
  /** The chunk came after a later one was already processed (or twice): dropped. */
  late: boolean;
}

/**
 * Puts a live stream's chunks back in capture order. A chunk that follows the last one processed is
 * passed on at once; one that skips ahead waits (up to `holdChunks` of them) for the chunks it
 * skipped, so a reordering of a few frames costs no audio. A chunk older than one already processed
 * cannot be placed any more and is dropped.
 */
export class ChunkSequencer {
  private held: AudioChunk[] = [];
  private last: { ts: number; endTs: number } | undefined;

  constructor(private readonly holdChunks = 3) {}

  push(chunk: AudioChunk): SequencedChunks {
    if (this.last && chunk.ts <= this.last.ts) return { ready: [], late: true };
    if (this.held.some((c) => c.ts === chunk.ts)) return { ready: [], late: true };
    const at = this.held.findIndex((c) => c.ts > chunk.ts);
    this.held.splice(at < 0 ? this.held.length : at, 0, chunk);
    const ready: AudioChunk[] = [];
    while (this.held.length > 0 && (this.isNext(this.held[0]) || this.held.length > this.holdChunks)) ready.push(this.take());
    return { ready, late: false };
  }

  /** Everything held, in order (the stream paused or ended). */
  flush(): AudioChunk[] {
    const ready: AudioChunk[] = [];
    while (this.held.length > 0) ready.push(this.take());
    return ready;
  }

  private isNext(chunk: AudioChunk): boolean {
    if (!this.last) return true;
    const halfChunk = (this.last.endTs - this.last.ts) / 2;
    return chunk.ts <= this.last.endTs + halfChunk;
  }

  private take(): AudioChunk {
    const chunk = this.held.shift() as AudioChunk;
    this.last = { ts: chunk.ts, endTs: chunk.ts + chunk.pcm.length / 2 / chunk.rate };
    return chunk;
  }
}
