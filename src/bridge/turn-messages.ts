import type { DeliverySpec } from '../shared/delivery';
import type { TurnAnswer } from '../shared/voice-session';
import { chunkSamples, fixedPieces, pcmBase64, robotPcm, ROBOT_PCM_RATE } from './result-messages';
import type { OutgoingMessage } from './robot-bus';
import { RESULT_TOPICS } from './topics';

/**
 * The robot messages of one turn answer. `result`: one `voice.asr.result` the robot's voice
 * service takes whole (transcript, `intent`/`command` instead of its NLU, `reply` instead of its
 * answer, `tts` played instead of its own synthesis, `speak`). `speech`: the reply audio alone, as
 * `voice.tts.chunk`s in order. Audio is raw PCM s16le at 16 kHz, the rate the robot plays pcm at.
 */
export function turnMessages(answer: TurnAnswer, wav: Uint8Array | undefined, delivery: DeliverySpec, chunkMs: number, nowMs = Date.now()): OutgoingMessage[] {
  const ts = nowMs / 1000;
  const meta = { turn_id: answer.turn_id, session_id: answer.session_id, robot_id: delivery.robotId, latency_ms: nowMs - delivery.receivedAt, fallback_required: false, source: 'offload' };
  const pcm = wav ? robotPcm(wav).pcm : undefined;
  if (answer.part === 'speech') {
    if (!pcm) throw new Error(`turn ${answer.turn_id}: a speech answer without audio`);
    const pieces = fixedPieces(pcm.length, chunkSamples(chunkMs));
    return pieces.map((piece, seq) => {
      const part = pcm.subarray(piece.start, piece.end);
      const payload = { task_id: answer.turn_id, audio: pcmBase64(part), format: 'pcm_s16le', sample_rate: ROBOT_PCM_RATE, duration_ms: durationMs(part.length), seq, final: seq === pieces.length - 1, text: answer.reply, ts, meta: { ...meta, chunks: pieces.length } };
      return { topic: RESULT_TOPICS.ttsChunk, payload };
    });
  }
  const tts = pcm ? { audio: pcmBase64(pcm), format: 'pcm_s16le', sample_rate: ROBOT_PCM_RATE, duration_ms: durationMs(pcm.length) } : undefined;
  const payload = {
    text: answer.text,
    language: answer.language,
    ts,
    task_id: answer.turn_id,
    request_ts: answer.speech_end_ts,
    ...(answer.intent ? { intent: answer.intent } : {}),
    ...(answer.command ? { command: answer.command } : {}),
    reply: answer.reply,
    speak: answer.speak,
    ...(tts ? { tts } : {}),
    meta,
  };
  return [{ topic: RESULT_TOPICS.asr, payload }];
}

function durationMs(samples: number): number {
  return Math.round((samples / ROBOT_PCM_RATE) * 1000 * 10) / 10;
}
