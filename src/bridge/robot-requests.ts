import { z } from 'zod';
import { checkBase64, decodedLength } from '../shared/base64';
import type { BusMessage, Malformed, MalformedReason } from './bus-message';
import { REQUEST_TOPICS, type RequestTopic } from './topics';

export interface FrameRequest {
  kind: 'frame';
  /** The robot's capture time (seconds since the epoch, robot clock). */
  ts: number;
  /** JPEG, base64. */
  frameJpeg: string;
  size?: { w: number; h: number };
}

export interface AsrRequest {
  kind: 'asr';
  ts: number;
  /** Sample rate of the raw PCM s16le mono audio. */
  rate: number;
  /** Byte length of the audio. */
  len: number;
  /** Raw PCM s16le mono, base64. */
  chunkPcm: string;
}

export interface TtsRequest {
  kind: 'tts';
  text: string;
  voice?: string;
  ts?: number;
  taskId?: string;
}

export type RobotRequest = FrameRequest | AsrRequest | TtsRequest;

/**
 * Seconds since the epoch (the robot's `time.time()`). Newer frames supersede older ones, so a ts far
 * in the future (milliseconds sent as seconds, a corrupted number) would make every real frame look old.
 */
const LATEST_TS = 4_102_444_800; // 2100-01-01
const timestamp = z.number().finite().positive().max(LATEST_TS, `must be seconds since the epoch (at most ${LATEST_TS}, the year 2100)`);
const TASK_ID = /^[A-Za-z0-9_.:@/-]{1,200}$/;

const schemas = {
  [REQUEST_TOPICS.frame]: z.object({
    ts: timestamp,
    frame_jpeg: z.string(),
    size: z.object({ w: z.number().int().positive(), h: z.number().int().positive() }).optional(),
  }),
  [REQUEST_TOPICS.asr]: z.object({
    ts: timestamp,
    rate: z.number().int().min(8000).max(192000),
    len: z.number().int().positive(),
    chunk_pcm: z.string(),
  }),
  [REQUEST_TOPICS.tts]: z.object({
    text: z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters'),
    voice: z.string().max(100).optional(),
    ts: timestamp.optional(),
    task_id: z.string().regex(TASK_ID, 'may only hold letters, digits and _.:@/- (at most 200)').optional(),
  }),
} satisfies Record<RequestTopic, z.ZodTypeAny>;

/** Checks a parsed bus message against the robot's protocol; names the first wrong field. */
export function readRobotRequest(message: BusMessage, maxPayloadBytes: number): RobotRequest | Malformed {
  const { topic } = message;
  const parsed = schemas[topic].safeParse(message.payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return malformed(topic, reasonOf(issue), `${issue.path.join('.') || 'payload'}: ${issue.message}`);
  }
  switch (topic) {
    case REQUEST_TOPICS.frame: {
      const p = parsed.data as z.infer<(typeof schemas)[typeof REQUEST_TOPICS.frame]>;
      const problem = base64Problem(topic, 'frame_jpeg', p.frame_jpeg, maxPayloadBytes);
      if (problem) return problem;
      if (!Buffer.from(p.frame_jpeg.slice(0, 4), 'base64').subarray(0, 3).equals(JPEG_MAGIC)) {
        return malformed(topic, 'not_jpeg', 'frame_jpeg: is not a JPEG image (no FF D8 FF start)');
      }
      return { kind: 'frame', ts: p.ts, frameJpeg: p.frame_jpeg, size: p.size };
    }
    case REQUEST_TOPICS.asr: {
      const p = parsed.data as z.infer<(typeof schemas)[typeof REQUEST_TOPICS.asr]>;
      const problem = base64Problem(topic, 'chunk_pcm', p.chunk_pcm, maxPayloadBytes);
      if (problem) return problem;
      const bytes = decodedLength(p.chunk_pcm);
      if (bytes !== p.len) return malformed(topic, 'bad_value', `len: says ${p.len} bytes but chunk_pcm holds ${bytes}`);
      if (bytes % 2 !== 0) return malformed(topic, 'bad_value', `chunk_pcm: s16le audio needs an even number of bytes, got ${bytes}`);
      return { kind: 'asr', ts: p.ts, rate: p.rate, len: p.len, chunkPcm: p.chunk_pcm };
    }
    case REQUEST_TOPICS.tts: {
      const p = parsed.data as z.infer<(typeof schemas)[typeof REQUEST_TOPICS.tts]>;
      return { kind: 'tts', text: p.text, voice: p.voice, ts: p.ts, taskId: p.task_id };
    }
  }
}

const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff]);

function base64Problem(topic: RequestTopic, field: string, value: string, maxBytes: number): Malformed | undefined {
  const problem = checkBase64(value, maxBytes);
  if (!problem) return undefined;
  return malformed(topic, problem.tooLarge ? 'oversized' : 'bad_base64', `${field}: ${problem.message}`);
}

function reasonOf(issue: z.ZodIssue): MalformedReason {
  if (issue.code === 'invalid_type') return issue.received === 'undefined' ? 'missing_field' : 'wrong_type';
  return 'bad_value';
}

function malformed(topic: RequestTopic, reason: MalformedReason, detail: string): Malformed {
  return { ok: false, topic, reason, detail };
}
