import { resultMessages } from '../../../src/bridge/result-messages';
import { encodeWav } from '../../../src/models/audio/wav';
import type { DeliverySpec } from '../../../src/shared/delivery';
import type { ResultMeta, TaskResult } from '../../../src/shared/task';
import type { TaskType } from '../../../src/shared/task-types';
import { playTtsChunk } from '../../harness/robot-playback';

const options = { obstacle: { hfovDeg: 62, cameraHeightM: 0.15, pitchDeg: 0, pathWidth: 0.5, minScore: 0.4, maxDistanceM: 1.5 }, ttsChunkMs: 500 };
const delivery: DeliverySpec = { taskQueue: 'q', robotId: 'rider-1', receivedAt: 1_000_000, deliverBy: 1_001_000 };

function result(taskType: TaskType, value: unknown, extra: Partial<ResultMeta> = {}): TaskResult {
  const failed = value === null;
  return {
    task_id: `${taskType}-1`,
    status: failed ? 'failed' : 'completed',
    result: value,
    error: failed ? 'model not installed; the robot should do it locally' : null,
    processing_time_ms: 120,
    meta: { task_type: taskType, priority: 1, attempts: 1, degradation: [], fallback_required: failed, deadline_ms: 1000, timings: {}, request_ts: 1732300000.5, model: 'm', hardware: 'cpu', ...extra },
  };
}

test('vision: the flat fields the navigator reads, boxes, and request_ts/task_id in meta', () => {
  const [message] = resultMessages(result('vision.frame', { boxes: [], image: { width: 320, height: 240 } }), delivery, options, 1_000_150);
  expect(message.topic).toBe('vision.obstacle.enhanced');
  expect(message.payload).toMatchObject({ present: false, confidence: 0, distance: 1.5, angle: 0, ts: 1000.15, boxes: [], image: { w: 320, h: 240 } });
  expect((message.payload as { meta: object }).meta).toMatchObject({ task_id: 'vision.frame-1', request_ts: 1732300000.5, fallback_required: false, latency_ms: 150 });
});

test('vision without a result is fail-safe: an obstacle of unknown distance, fallback_required', () => {
  const [message] = resultMessages(result('vision.frame', null), delivery, options);
  expect(message.payload).toMatchObject({ present: true, confidence: 0, meta: { fallback_required: true, error: expect.stringMatching(/model not installed/) } });
});

test('ASR: text, language, confidence, task_id, ts; empty text with fallback_required when the PC could not', () => {
  const [done] = resultMessages(result('voice.asr', { text: 'hello world', language: 'en', confidence: 0.9 }), delivery, options);
  expect(done.payload).toMatchObject({ meta: { fallback_required: false } });
  expect(done).toEqual({ topic: 'voice.asr.result', payload: expect.objectContaining({ text: 'hello world', language: 'en', confidence: 0.9, task_id: 'voice.asr-1', ts: expect.any(Number) }) });
  const [fallback] = resultMessages(result('voice.asr', null), delivery, options);
  expect(fallback.payload).toMatchObject({ text: '', confidence: 0, meta: { fallback_required: true } });
});

test.each(['', '   ', '\n\t'])('ASR with an empty transcript (%j): the PC did not serve it, fallback_required', (text) => {
  const [message] = resultMessages(result('voice.asr', { text, language: 'en', confidence: 0.1 }), delivery, options);
  expect(message.payload).toMatchObject({ text, meta: { fallback_required: true } });
});

function speech(seconds: number, rate: number, chunks?: Array<{ start_sample: number; samples: number; text: string }>) {
  const pcm = new Int16Array(Math.round(seconds * rate)).map((_, i) => (i % 100) * 100);
  return {
    audio_base64: Buffer.from(encodeWav(pcm, rate)).toString('base64'),
    format: 'wav',
    sample_rate: rate,
    duration_ms: seconds * 1000,
    ...(chunks ? { chunks: chunks.map((c, seq) => ({ ...c, seq, duration_ms: (c.samples / rate) * 1000 })) } : {}),
  };
}

test('TTS without sentence marks: fixed 500 ms pcm_s16le chunks in seq order, the last final, audio intact', () => {
  const messages = resultMessages(result('voice.tts', speech(1.2, 16000)), delivery, options);
  expect(messages.map((m) => m.topic)).toEqual(['voice.tts.chunk', 'voice.tts.chunk', 'voice.tts.chunk']);
  const payloads = messages.map((m) => m.payload as Record<string, unknown>);
  expect(payloads.map((p) => [p.seq, p.final, p.duration_ms])).toEqual([
    [0, false, 500],
    [1, false, 500],
    [2, true, 200],
  ]);
  for (const p of payloads) expect(p).toMatchObject({ task_id: 'voice.tts-1', format: 'pcm_s16le', sample_rate: 16000 });
  expect(payloads.some((p) => 'audio_data' in p)).toBe(false);
  const audio = Buffer.concat(payloads.map((p) => playTtsChunk(p)?.bytes ?? Buffer.alloc(0)));
  expect(audio.length).toBe(1.2 * 16000 * 2);
  expect(audio.readInt16LE(2 * 7)).toBe(700);
});

test('TTS from Piper at 22 050 Hz: resampled to the 16 kHz the robot plays, as long as the speech', () => {
  const marks = [
    { start_sample: 0, samples: 10000, text: 'Hello.' },
    { start_sample: 10000, samples: 12050, text: 'Bye.' },
  ];
  const payloads = resultMessages(result('voice.tts', speech(1, 22050, marks)), delivery, options).map((m) => m.payload as Record<string, unknown>);
  for (const p of payloads) expect(p).toMatchObject({ format: 'pcm_s16le', sample_rate: 16000 });
  const played = payloads.map((p) => playTtsChunk(p));
  expect(played.map((p) => p?.kind)).toEqual(['pcm16', 'pcm16']);
  marks.forEach((mark, i) => {
    const samples = (played[i]?.bytes.length ?? 0) / 2;
    expect(Math.abs(samples - (mark.samples * 16000) / 22050)).toBeLessThanOrEqual(2);
    expect(payloads[i].duration_ms).toBeCloseTo((samples / 16000) * 1000, 1);
  });
  const totalMs = played.reduce((sum, p) => sum + (p?.durationMs ?? 0), 0);
  expect(Math.abs(totalMs - 1000)).toBeLessThanOrEqual((2 * 2 * 1000) / 16000);
});

test('TTS with sentence marks: one chunk per sentence, with its text', () => {
  const messages = resultMessages(result('voice.tts', speech(1, 22050, [{ start_sample: 0, samples: 10000, text: 'Hello.' }, { start_sample: 10000, samples: 12050, text: 'Bye.' }])), delivery, options);
  expect(messages.map((m) => [(m.payload as { seq: number }).seq, (m.payload as { text: string }).text, (m.payload as { final: boolean }).final])).toEqual([
    [0, 'Hello.', false],
    [1, 'Bye.', true],
  ]);
});

test('TTS the PC could not do: one final empty chunk with fallback_required', () => {
  const messages = resultMessages(result('voice.tts', null), delivery, options);
  expect(messages).toHaveLength(1);
  expect(messages[0].payload).toMatchObject({ seq: 0, final: true, audio: '', meta: { fallback_required: true } });
});
