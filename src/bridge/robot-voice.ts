import type { OffloadConfig } from '../config/load-config';
import { floatToPcm16 } from '../models/audio';
import type { VoiceActivityDetector } from '../models/voice-activity-detection/voice-activity-detector';
import type { VoiceSessionInput } from '../shared/voice-session';
import type { Logger } from '../telemetry/logger';
import type { AudioStore } from '../voice/audio-store';
import type { VoiceMetrics } from '../voice/voice-metrics';
import type { VoiceSessions } from '../voice/voice-sessions';
import { VoiceStream, type StreamUtterance } from '../voice/voice-stream';
import type { AsrRequest } from './robot-requests';

/** A jump of this much in the robot's chunk timestamps: it paused its stream (an open utterance ends there). */
const PAUSE_S = 0.3;
/** A jump of this much: the robot left `pc` voice mode in between; the chunk starts a new session. */
const SESSION_GAP_S = 2;
/**
 * No chunk at all for this long (PC clock): the robot stopped streaming; an open utterance ends, and
 * later the session. Timers fire before queued socket reads: when this process was not scheduled for
 * a while, the timer is expired while the robot's chunks wait unread. So a timer that fires first
 * lets the socket reads of that loop turn run (setImmediate) and acts only if no chunk came.
 */
export const STOPPED_MS = 1000;
const SESSION_END_MS = 10_000;

export interface RobotVoiceOptions {
  robotId: string;
  voice: OffloadConfig['voice'];
  /** The session input of a new session but its id. */
  session: Omit<VoiceSessionInput, 'session_id' | 'carried'>;
  vad: VoiceActivityDetector | undefined;
  store: AudioStore;
  sessions: VoiceSessions;
  metrics: VoiceMetrics;
  log: Logger;
}

/**
 * The robot's front door to the voice-session engine: its `voice.asr.request` stream (a 20 ms chunk
 * per message, silence included) becomes utterances here, each a turn of the robot's session
 * workflow. Only an utterance reaches Temporal, with its audio in the AudioStore.
 */
export class RobotVoice {
  private stream: VoiceStream | undefined;
  private sessionId: string | undefined;
  private lastTs = 0;
  private pauseTimer: NodeJS.Timeout | undefined;
  private gapTimer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private warnedNoVad = false;
  /** Chunks pushed so far: a stopped-stream timer acts only when none came since it was armed. */
  private pushes = 0;
  constructor(private readonly options: RobotVoiceOptions) {}

  push(request: AsrRequest): void {
    const { vad, metrics, log } = this.options;
    if (!vad) {
      metrics.dropped('no_vad', 1);
      if (!this.warnedNoVad) log.error({ robot: this.options.robotId }, 'the robot streams its microphone but silero-vad is not installed here: no utterance can be found (run npm run setup)');
      this.warnedNoVad = true;
      return;
    }
    const jump = request.ts - this.lastTs;
    if (this.stream && (jump > PAUSE_S || jump < -SESSION_GAP_S)) this.track(this.pause());
    if (!this.sessionId || jump > SESSION_GAP_S || jump < -SESSION_GAP_S) this.startSession(request.ts);
    this.lastTs = Math.max(this.lastTs, request.ts);
    this.pushes += 1;
    this.stream ??= this.newStream(vad);
    this.stream.push({ ts: request.ts, rate: request.rate, pcm: Buffer.from(request.chunkPcm, 'base64') });
    metrics.backlog(this.stream.backlogChunks);
    this.armTimers();
  }

  /** Resolves once every chunk pushed so far is scored and every utterance found is handed over. */
  async settled(): Promise<void> {
    await this.stream?.idle();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Ends the stream: an open utterance becomes its last turn; waits for turns being handed over. */
  async stop(): Promise<void> {
    clearTimeout(this.pauseTimer);
    clearTimeout(this.gapTimer);
    await this.pause();
    await Promise.allSettled([...this.inFlight]);
  }

  private startSession(ts: number): void {
    const previous = this.sessionId;
    if (previous) this.track(this.options.sessions.end(previous));
    this.sessionId = `voice-${this.options.robotId}-${Math.round(ts * 1000)}`;
    this.options.metrics.sessionStarted();
    this.options.log.info({ session: this.sessionId }, 'robot voice stream started: new voice session');
  }

  private newStream(vad: VoiceActivityDetector): VoiceStream {
    return new VoiceStream({
      vad: vad.stream(),
      endpointing: this.options.voice.endpointing,
      onUtterance: (utterance) => this.track(this.handOver(utterance)),
      onDropped: (reason, chunks) => this.options.metrics.dropped(reason, chunks),
    });
  }

  private armTimers(): void {
    clearTimeout(this.pauseTimer);
    clearTimeout(this.gapTimer);
    this.pauseTimer = this.ifNoChunkFor(STOPPED_MS, () => this.track(this.pause()));
    this.gapTimer = this.ifNoChunkFor(SESSION_END_MS, () => {
      const ended = this.sessionId;
      this.sessionId = undefined;
      if (ended) this.track(this.options.sessions.end(ended));
    });
  }

  private ifNoChunkFor(ms: number, act: () => void): NodeJS.Timeout {
    const armedAt = this.pushes;
    return setTimeout(() => setImmediate(() => this.pushes === armedAt && act()), ms);
  }

  /** The stream paused: what it held is listened to, and the next chunk starts a fresh VAD state. */
  private async pause(): Promise<void> {
    const stream = this.stream;
    this.stream = undefined;
    await stream?.end();
  }

  private async handOver(utterance: StreamUtterance): Promise<void> {
    const sessionId = this.sessionId;
    if (!sessionId) return;
    const { store, sessions, session, metrics, log } = this.options;
    const turnId = `${sessionId}-t${Math.round(utterance.startTs * 1000)}`;
    const pcm = floatToPcm16(utterance.samples);
    try {
      const audio_ref = await store.put(`${sessionId}/${turnId}.pcm`, new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength));
      const durationMs = Math.round((utterance.samples.length / 16000) * 1000);
      await sessions.utterance({ ...session, session_id: sessionId }, { turn_id: turnId, audio_ref, duration_ms: durationMs, speech_end_ts: utterance.speechEndTs, closed_at: utterance.closedAt });
      metrics.utterance();
      log.debug({ session: sessionId, turn: turnId, durationMs }, 'utterance handed to its session');
    } catch (err) {
      metrics.turnStartFailed();
      log.error({ session: sessionId, turn: turnId, err: err instanceof Error ? err.message : String(err) }, 'could not hand an utterance to its voice session');
    }
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((err: unknown) => this.options.log.warn({ err: String(err) }, 'voice stream work failed'));
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }
}
