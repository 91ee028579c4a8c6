import type { ObstacleGeometry } from '../config/load-config';
import { resample } from '../models/audio/resample';
import { decodeWav, floatToPcm16 } from '../models/audio/wav';
import type { DeliverySpec } from '../shared/delivery';
import type { DetectionResult } from '../shared/detection';
import type { SpeechChunkInfo, SpeechResult, TranscriptionResult } from '../shared/model-results';
import type { TaskResult } from '../shared/task';
import type { TaskType } from '../shared/task-types';
import { summarizeObstacles } from './obstacle-summary';
import type { OutgoingMessage } from './robot-bus';
import { RESULT_TOPICS } from './topics';

export interface ResultMessageOptions {
  obstacle: ObstacleGeometry;
  /** Chunk length when the TTS result does not say where its sentences are. */
  ttsChunkMs: number;
}

/** The robot-bus messages that answer one task, in publishing order. */
export function resultMessages(result: TaskResult, delivery: DeliverySpec, options: ResultMessageOptions, nowMs = Date.now()): OutgoingMessage[] {
  const meta = robotMeta(result, delivery, nowMs);
  const ts = nowMs / 1000;
  switch (result.meta.task_type) {
    case 'vision.frame':
    case 'vision.detection':
      return [{ topic: RESULT_TOPICS.obstacle, payload: obstacleMessage(result as TaskResult<DetectionResult>, options.obstacle, ts, meta) }];
    case 'voice.asr':
      return [{ topic: RESULT_TOPICS.asr, payload: asrMessage(result as TaskResult<TranscriptionResult>, ts, meta) }];
    case 'voice.tts':
      return ttsMessages(result as TaskResult<SpeechResult>, options.ttsChunkMs, ts, meta).map((payload) => ({ topic: RESULT_TOPICS.ttsChunk, payload }));
    case 'text.generate':
    case 'text.nlu':
      throw new Error(`the robot has no topic for ${result.meta.task_type} results`);
  }
}

/** The topic a task type's result goes back to the robot on; undefined for text results (they answer over HTTP). */
export function robotTopicOf(taskType: TaskType): string | undefined {
  switch (taskType) {
    case 'vision.frame':
    case 'vision.detection':
      return RESULT_TOPICS.obstacle;
    case 'voice.asr':
      return RESULT_TOPICS.asr;
    case 'voice.tts':
      return RESULT_TOPICS.ttsChunk;
    case 'text.generate':
    case 'text.nlu':
      return undefined;
  }
}

type RobotMeta = ReturnType<typeof robotMeta>;

function robotMeta(result: TaskResult, delivery: DeliverySpec, nowMs: number) {
  const m = result.meta;
  return {
    task_id: result.task_id,
    request_ts: m.request_ts ?? null,
    robot_id: delivery.robotId,
    status: result.status,
    fallback_required: m.fallback_required,
    ...(result.error ? { error: result.error } : {}),
    model: m.model ?? null,
    hardware: m.hardware ?? null,
    processing_time_ms: result.processing_time_ms,
    timings: m.timings,
    latency_ms: nowMs - delivery.receivedAt,
    degraded: m.degradation.length > 0,
    source: 'offload',
  };
}

/**
 * Flat fields the navigator reads. A frame the PC could not analyse is reported fail-safe: an
 * obstacle of unknown distance (`present: true`, `confidence: 0`) with `fallback_required`,
 * never a clear path nobody looked at.
 */
function obstacleMessage(result: TaskResult<DetectionResult>, geometry: ObstacleGeometry, ts: number, meta: RobotMeta) {
  if (!result.result) return { type: 'obstacle', present: true, confidence: 0, distance: 0, angle: 0, ts, boxes: [], source: 'pc_offload', meta: { ...meta, fallback_required: true } };
  const summary = summarizeObstacles(result.result, geometry);
  const { width, height } = result.result.image;
  return { type: 'obstacle', ...summary, ts, image: { w: width, h: height }, source: 'pc_offload', meta };
}

/** An empty transcript (the robot skips it) means the PC did not serve the utterance: `fallback_required`. */
function asrMessage(result: TaskResult<TranscriptionResult>, ts: number, meta: RobotMeta) {
  const r = result.result;
  const heard = (r?.text ?? '').trim() !== '';
  return { text: r?.text ?? '', language: r?.language ?? '', confidence: r?.confidence ?? 0, ts, task_id: result.task_id, meta: heard ? meta : { ...meta, fallback_required: true } };
}

/** The robot plays raw pcm16 at a fixed 16 kHz (PROTOCOL.md), whatever rate a chunk claims. */
export const ROBOT_PCM_RATE = 16000;

/** A WAV file as the robot plays it: raw PCM s16le mono at ROBOT_PCM_RATE, and the ratio of that rate to the file's. */
export function robotPcm(wav: Uint8Array): { pcm: Int16Array; ratio: number } {
  const decoded = decodeWav(wav);
  return { pcm: floatToPcm16(resample(decoded.samples, decoded.sampleRate, ROBOT_PCM_RATE)), ratio: ROBOT_PCM_RATE / decoded.sampleRate };
}

export function pcmBase64(pcm: Int16Array): string {
  return Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength).toString('base64');
}

/**
 * `voice.tts.chunk`s: raw PCM s16le mono at the robot's 16 kHz, in `audio` (the field the robot
 * reads), one per sentence when the model says where they are, in `seq` order, the last `final`.
 */
function ttsMessages(result: TaskResult<SpeechResult>, chunkMs: number, ts: number, meta: RobotMeta) {
  const base = { task_id: result.task_id, format: 'pcm_s16le' as const, ts };
  const speech = result.result;
  if (!speech) return [{ ...base, audio: '', sample_rate: ROBOT_PCM_RATE, duration_ms: 0, seq: 0, final: true, meta: { ...meta, fallback_required: true } }];
  const { pcm, ratio } = robotPcm(Buffer.from(speech.audio_base64, 'base64'));
  const pieces = speech.chunks?.length ? sentencePieces(speech.chunks, ratio, pcm.length) : fixedPieces(pcm.length, chunkSamples(chunkMs));
  return pieces.map((piece, seq) => {
    const part = pcm.subarray(piece.start, piece.end);
    return {
      ...base,
      audio: pcmBase64(part),
      sample_rate: ROBOT_PCM_RATE,
      duration_ms: Math.round((part.length / ROBOT_PCM_RATE) * 1000 * 10) / 10,
      seq,
      final: seq === pieces.length - 1,
      ...(piece.text !== undefined ? { text: piece.text } : {}),
      meta: { ...meta, chunks: pieces.length },
    };
  });
}

export function chunkSamples(chunkMs: number): number {
  return Math.max(1, Math.round((ROBOT_PCM_RATE * chunkMs) / 1000));
}

export interface Piece {
  start: number;
  end: number;
  text?: string;
}

/** Sentence marks are in the model's samples; `ratio` maps them onto the resampled audio. */
function sentencePieces(chunks: SpeechChunkInfo[], ratio: number, total: number): Piece[] {
  const at = (sample: number) => Math.min(Math.round(sample * ratio), total);
  return [...chunks]
    .sort((a, b) => a.seq - b.seq)
    .map((c) => ({ start: at(c.start_sample), end: at(c.start_sample + c.samples), text: c.text }));
}

export function fixedPieces(total: number, size: number): Piece[] {
  if (total === 0) return [{ start: 0, end: 0 }];
  const pieces: Piece[] = [];
  for (let start = 0; start < total; start += size) pieces.push({ start, end: Math.min(total, start + size) });
  return pieces;
}
