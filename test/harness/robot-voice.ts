import { readFileSync } from 'node:fs';
import { decodePcmS16le, floatToPcm16, resample } from '../../src/models/audio';
import { fixturePath } from './fixtures';
import { playTtsChunk, type PlayedChunk } from './robot-playback';
import type { ReceivedMessage, RobotSimulator } from './robot-simulator';

/** The robot's microphone frame: 20 ms of 16 kHz s16le mono (apps/voice/audio/capture.py). */
export const FRAME_MS = 20;
export const RATE = 16000;
/** VOICE_OFFLOAD_RESULT_TIMEOUT: no non-empty transcript for this long and the robot goes back to local voice. */
export const ROBOT_RESULT_TIMEOUT_MS = 5000;

export interface SpokenPart {
  name: string;
  /** Raw PCM s16le mono at 16 kHz. */
  pcm: Buffer;
}

export interface MicrophonePlan {
  /** What is said, in order, with `gapMs` of silence between and around. */
  utterances: SpokenPart[];
  leadMs: number;
  gapMs: number;
  trailMs: number;
  /** As a person does: after each utterance, silence until its answer comes (at most this long), then the gap. */
  waitForAnswerMs?: number;
  /** The robot's capture rate (default 16000); the fixtures are resampled to it. */
  rate?: number;
}

/** A turn as the robot's voice service handled it (apps/voice/svc_core.py `_run_pc_offload`). */
export interface HeardResult {
  message: ReceivedMessage;
  text: string;
  /** `intent` or `command` replaces the robot's NLU. */
  intent?: { kind?: string; type?: string; name?: string; payload?: unknown };
  command?: string;
  reply?: string;
  speak: boolean;
  /** `tts` played instead of synthesizing the reply. */
  tts?: PlayedChunk;
}

export interface MicrophoneLog {
  /** Non-empty `voice.asr.result`s, in arrival order (the robot skips empty ones). */
  results: HeardResult[];
  /** Empty results the robot skipped. */
  skipped: number;
  /** `voice.tts.chunk`s played as they came, and those dropped (no `audio`/`data`/`chunk`). */
  chunks: Array<{ message: ReceivedMessage; played?: PlayedChunk }>;
  /** Send time (performance clock) of the last frame of each utterance, by name. */
  speechEndAt: Map<string, number>;
  /** When the robot would have fallen back to local voice (5 s without a non-empty transcript), if it did. */
  fellBackAt?: number;
  /** When the first frame was due (performance clock). */
  startedAt: number;
  framesSent: number;
  /** Stops taking what the PC sends (the log keeps growing until then). */
  stopListening(): void;
  /** Resolves once `count` non-empty results have come (rejects after `timeoutMs`). */
  waitForResults(count: number, timeoutMs: number): Promise<HeardResult[]>;
}

/** A fixture's raw PCM (fixtures/audio/<name>.s16le.pcm). */
export function spoken(name: string): SpokenPart {
  return { name, pcm: readFileSync(fixturePath(`audio/${name}.s16le.pcm`)) };
}

/**
 * The robot in `pc` voice mode: every 20 ms capture frame of its microphone published as its own
 * `voice.asr.request` (`{ts, rate, len, chunk_pcm}`), in real time, silence included. It takes
 * non-empty `voice.asr.result`s (text, intent/command, reply, tts, speak) and plays
 * `voice.tts.chunk`s as they come; 5 s without a non-empty transcript is where it would fall back to
 * local voice (recorded; streaming goes on so the test sees everything the PC sends).
 */
export async function streamMicrophone(robot: RobotSimulator, plan: MicrophonePlan): Promise<MicrophoneLog> {
  const startedAt = performance.now();
  let lastTranscriptAt = startedAt;
  const log: MicrophoneLog = {
    results: [],
    skipped: 0,
    chunks: [],
    speechEndAt: new Map(),
    framesSent: 0,
    startedAt,
    stopListening: () => stop(),
    async waitForResults(count, timeoutMs) {
      const until = performance.now() + timeoutMs;
      while (log.results.length < count) {
        if (performance.now() > until) throw new Error(`the robot got ${log.results.length} of ${count} non-empty voice.asr.results within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return log.results;
    },
  };
  const stop = robot.onMessage((message) => {
    if (message.topic === 'voice.asr.result') {
      const heard = heardResult(message);
      if (!heard) log.skipped += 1;
      else {
        log.results.push(heard);
        lastTranscriptAt = message.at;
      }
    } else if (message.topic === 'voice.tts.chunk') {
      log.chunks.push({ message, played: playTtsChunk(message.payload) });
    }
  });
  let sent = 0;
  const ts0 = Date.now() / 1000;
  const rate = plan.rate ?? RATE;
  const frameBytes = Math.round((rate * FRAME_MS) / 1000) * 2;
  const silentFrame = Buffer.alloc(frameBytes);
  const send = async (pcm: Buffer): Promise<void> => {
    const wait = startedAt + sent * FRAME_MS - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const ts = ts0 + (sent * FRAME_MS) / 1000;
    sent += 1;
    await robot.publish('voice.asr.request', { ts, rate, len: pcm.length, chunk_pcm: pcm.toString('base64') });
    log.framesSent = sent;
    if (log.fellBackAt === undefined && performance.now() - lastTranscriptAt > ROBOT_RESULT_TIMEOUT_MS) log.fellBackAt = performance.now();
  };
  const silence = async (ms: number): Promise<void> => {
    for (let i = 0; i < Math.round(ms / FRAME_MS); i++) await send(silentFrame);
  };
  await silence(plan.leadMs);
  for (const [index, part] of plan.utterances.entries()) {
    if (index > 0) await silence(plan.gapMs);
    const pcm = rate === RATE ? part.pcm : resampledPcm(part.pcm, rate);
    for (let at = 0; at < pcm.length; at += frameBytes) {
      const frame = Buffer.alloc(frameBytes);
      pcm.copy(frame, 0, at, Math.min(pcm.length, at + frameBytes));
      await send(frame);
    }
    log.speechEndAt.set(part.name, performance.now());
    if (plan.waitForAnswerMs !== undefined && index < plan.utterances.length - 1) {
      const answers = log.results.length + log.skipped;
      const until = performance.now() + plan.waitForAnswerMs;
      while (log.results.length + log.skipped === answers && performance.now() < until) await send(silentFrame);
    }
  }
  await silence(plan.trailMs);
  return log;
}

function resampledPcm(pcm16k: Buffer, rate: number): Buffer {
  const out = floatToPcm16(resample(decodePcmS16le(pcm16k), RATE, rate));
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

/** The robot's reading of a `voice.asr.result`; undefined for one it skips (empty `text`/`transcript`). */
export function heardResult(message: ReceivedMessage): HeardResult | undefined {
  const p = message.payload;
  const text = String(p.text ?? p.transcript ?? '').trim();
  if (!text) return undefined;
  const tts = p.tts && typeof p.tts === 'object' ? playTtsChunk(p.tts as Record<string, unknown>) : undefined;
  return {
    message,
    text,
    ...(p.intent && typeof p.intent === 'object' ? { intent: p.intent as HeardResult['intent'] } : {}),
    ...(typeof p.command === 'string' ? { command: p.command } : {}),
    ...(typeof p.reply === 'string' ? { reply: p.reply } : {}),
    speak: p.speak === undefined ? true : Boolean(p.speak),
    ...(tts ? { tts } : {}),
  };
}
