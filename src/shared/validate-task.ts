import { z } from 'zod';
import { checkBase64 } from './base64';
import { InvalidTaskError } from './errors';
import type { PayloadByTaskType, TaskEnvelope } from './task';
import { DEFAULT_PRIORITY, MAX_PRIORITY, MIN_PRIORITY, TASK_TYPES, type TaskType } from './task-types';

const language = z.string().min(2).max(16).optional();
const nonEmptyText = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** Fields voice-session turns set inside Offload; a client sending one is told so. */
const internalOnly = z.undefined({ invalid_type_error: 'is set by Offload itself (voice sessions), not by clients' }).optional();

const payloadSchemas: { [T in TaskType]: z.ZodType<PayloadByTaskType[T], z.ZodTypeDef, unknown> } = {
  'vision.detection': z.object({ image_base64: z.string() }).passthrough(),
  'vision.frame': z.object({ image_base64: z.string() }).passthrough(),
  'voice.asr': z
    .object({
      audio_base64: z.string(),
      format: z.enum(['wav', 'pcm_s16le']),
      sample_rate: z.number().int().min(8000).max(192000).optional(),
      language,
      prompt: z.string().max(1000, 'must be at most 1000 characters').optional(),
      audio_ref: internalOnly,
    })
    .passthrough()
    .refine((p) => p.format !== 'pcm_s16le' || p.sample_rate !== undefined, {
      message: 'is required when format is pcm_s16le',
      path: ['sample_rate'],
    }),
  'voice.tts': z.object({ text: nonEmptyText(2000), voice: z.string().max(100).optional(), language, store_audio: internalOnly }).passthrough(),
  'text.generate': z
    .object({
      prompt: nonEmptyText(20000),
      mode: z.string().max(50).optional(),
      system_prompt: z.string().max(20000).optional(),
      max_tokens: z.number().int().min(1).max(4096).optional(),
      temperature: z.number().min(0).max(2).optional(),
      top_p: z.number().gt(0).max(1).optional(),
      stop: z.array(z.string().min(1)).max(8).optional(),
      language,
    })
    .passthrough(),
  'text.nlu': z.object({ text: nonEmptyText(2000), language }).passthrough(),
};

const BASE64_FIELDS: Partial<Record<TaskType, string>> = {
  'vision.detection': 'image_base64',
  'vision.frame': 'image_base64',
  'voice.asr': 'audio_base64',
};

const envelopeSchema = z.object({
  task_id: z
    .string()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters')
    .regex(/^[A-Za-z0-9_.:@/-]+$/, 'may only hold letters, digits and _.:@/-')
    .optional(),
  task_type: z.enum(TASK_TYPES, { errorMap: () => ({ message: `must be one of ${TASK_TYPES.join(', ')}` }) }),
  payload: z.record(z.unknown()),
  meta: z.record(z.unknown()).optional(),
  priority: z
    .number({ invalid_type_error: 'must be a number' })
    .int('must be a whole number')
    .min(MIN_PRIORITY, `must be between ${MIN_PRIORITY} and ${MAX_PRIORITY}`)
    .max(MAX_PRIORITY, `must be between ${MIN_PRIORITY} and ${MAX_PRIORITY}`)
    .optional(),
});

export interface ValidateOptions {
  maxPayloadBytes: number;
  /** Makes a task id when the request has none. */
  newTaskId: (taskType: TaskType) => string;
}

/** Checks a request at the edge; throws InvalidTaskError naming the first wrong field. */
export function validateTask(input: unknown, options: ValidateOptions): TaskEnvelope {
  const envelope = parseOrThrow(envelopeSchema, input, '');
  const taskType = envelope.task_type;
  const payload = parseOrThrow(payloadSchemas[taskType], envelope.payload, 'payload');
  const base64Field = BASE64_FIELDS[taskType];
  if (base64Field) {
    const problem = checkBase64(envelope.payload[base64Field], options.maxPayloadBytes);
    if (problem) throw new InvalidTaskError(`payload.${base64Field}`, problem.message);
  }
  return {
    task_id: envelope.task_id ?? options.newTaskId(taskType),
    task_type: taskType,
    payload,
    meta: envelope.meta ?? {},
    priority: envelope.priority ?? DEFAULT_PRIORITY[taskType],
  };
}

function parseOrThrow<S extends z.ZodTypeAny>(schema: S, value: unknown, prefix: string): z.infer<S> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidTaskError(prefix || 'task', 'must be a JSON object');
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = [prefix, ...issue.path].filter((p) => p !== '').join('.') || prefix || 'task';
  throw new InvalidTaskError(field, issue.message);
}
