/** What the robot's audio/playback.py makes of a `voice.tts.chunk` (PROTOCOL.md). */
export interface PlayedChunk {
  /** `pcm16` is played at the robot's fixed 16 kHz; `mp3` and `wav` carry their own rate. */
  kind: 'pcm16' | 'mp3' | 'wav';
  bytes: Buffer;
  /** How long the robot plays it (pcm16 only: at 16 kHz, whatever `sample_rate` says). */
  durationMs?: number;
}

const ROBOT_PCM_RATE = 16000;

/** The chunk's audio as the robot reads it (`audio`, else `data`, else `chunk`); `undefined` when it drops the chunk. */
export function playTtsChunk(payload: Record<string, unknown>): PlayedChunk | undefined {
  const audio = [payload.audio, payload.data, payload.chunk].find((v) => typeof v === 'string' && v.length > 0) as string | undefined;
  if (audio === undefined) return undefined;
  const bytes = Buffer.from(audio, 'base64');
  const format = String(payload.format ?? payload.mime ?? '').toLowerCase();
  if (format.includes('pcm') || format.includes('s16')) return { kind: 'pcm16', bytes, durationMs: (bytes.length / 2 / ROBOT_PCM_RATE) * 1000 };
  return { kind: format.includes('mp3') ? 'mp3' : 'wav', bytes };
}
