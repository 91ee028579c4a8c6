import { Counter, Gauge, type Registry } from 'prom-client';
import type { DroppedAudio } from './voice-stream';

/** Series of a voice front door (`front_door`: `robot` for the bridge). */
export interface VoiceMetrics {
  utterance(): void;
  dropped(reason: DroppedAudio | 'no_vad', chunks: number): void;
  backlog(chunks: number): void;
  sessionStarted(): void;
  turnStartFailed(): void;
}

export function createVoiceMetrics(registry: Registry, frontDoor: string): VoiceMetrics {
  const labels = { front_door: frontDoor };
  const utterances = new Counter({ name: 'voice_utterances_total', help: 'Utterances the endpointer found and handed to their session', labelNames: ['front_door'], registers: [registry] });
  const dropped = new Counter({
    name: 'voice_audio_chunks_dropped_total',
    help: 'Audio chunks not listened to: late (after a newer one), backlog (the VAD fell behind), no_vad (no Silero VAD installed)',
    labelNames: ['front_door', 'reason'],
    registers: [registry],
  });
  const backlog = new Gauge({ name: 'voice_vad_backlog_chunks', help: 'Audio chunks waiting for the VAD, highest of the streams', labelNames: ['front_door'], registers: [registry] });
  const peak = new Gauge({ name: 'voice_vad_backlog_peak_chunks', help: 'Most audio chunks that ever waited for the VAD at once (the bound is 250)', labelNames: ['front_door'], registers: [registry] });
  let peakSeen = 0;
  const sessions = new Counter({ name: 'voice_sessions_started_total', help: 'Voice sessions (audio streams) started', labelNames: ['front_door'], registers: [registry] });
  const startFailed = new Counter({ name: 'voice_turn_start_failures_total', help: 'Utterances whose session could not be signalled (Temporal unreachable...)', labelNames: ['front_door'], registers: [registry] });
  return {
    utterance: () => utterances.inc(labels),
    dropped: (reason, chunks) => dropped.inc({ ...labels, reason }, chunks),
    backlog(chunks) {
      backlog.set(labels, chunks);
      if (chunks > peakSeen) peak.set(labels, (peakSeen = chunks));
    },
    sessionStarted: () => sessions.inc(labels),
    turnStartFailed: () => startFailed.inc(labels),
  };
}
