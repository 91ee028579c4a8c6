import { z } from 'zod';
import { DEFAULT_QUEUE_PREFIX } from '../shared/queues';
import { DEFAULT_HEARTBEAT_TIMEOUT_MS } from '../shared/workflow-input';
import { HARDWARE_CLASSES, TASK_TYPES, type Hardware, type TaskType } from '../shared/task-types';
import { TEXT_PROVIDERS } from '../models/text-generation/text-generation-settings';

const hardware = z.enum(HARDWARE_CLASSES);
const port = z.coerce.number().int().min(0).max(65535);
/** A port something listens on that has to be known in advance (0, a random one, would be useless). */
const fixedPort = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
const queueName = z.string().regex(/^[A-Za-z0-9_.-]+$/);
/** A ZeroMQ CURVE key in Z85 text (40 characters). */
const z85Key = z.string().regex(/^[0-9a-zA-Z.:+=^!/*?&<>()[\]{}@%$#-]{40}$/, 'must be a 40-character Z85 CURVE key');

/** `true`/`false`, also as 1/0, yes/no or on/off. */
const flag = z.string().transform((text, ctx) => {
  if (/^(1|true|yes|on)$/i.test(text)) return true;
  if (/^(0|false|no|off)$/i.test(text)) return false;
  ctx.addIssue({ code: 'custom', message: `must be true or false (or 1/0, yes/no, on/off), got ${JSON.stringify(text)}` });
  return z.NEVER;
});

/** Parses "vision.detection=gpu>cpu,voice.tts=cpu" into per-task-type routes. */
const routes = z.string().transform((text, ctx) => {
  const parsed: Partial<Record<TaskType, Hardware[]>> = {};
  for (const entry of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [taskType, chain] = entry.split('=');
    const steps = (chain ?? '').split('>').map((s) => s.trim());
    if (!(TASK_TYPES as readonly string[]).includes(taskType) || steps.some((s) => !hardware.safeParse(s).success)) {
      ctx.addIssue({ code: 'custom', message: `"${entry}" is not <task-type>=<hw>[><hw>] with hw in ${HARDWARE_CLASSES.join('|')}` });
      return z.NEVER;
    }
    parsed[taskType as TaskType] = steps as Hardware[];
  }
  return parsed;
});

/** Parses "vision.frame=1000,voice.asr=5000" into per-task-type deadlines in ms. */
const deadlines = z.string().transform((text, ctx) => {
  const parsed: Partial<Record<TaskType, number>> = {};
  for (const entry of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [taskType, ms] = entry.split('=');
    const value = Number(ms);
    if (!(TASK_TYPES as readonly string[]).includes(taskType) || !Number.isInteger(value) || value <= 0) {
      ctx.addIssue({ code: 'custom', message: `"${entry}" is not <task-type>=<milliseconds>` });
      return z.NEVER;
    }
    parsed[taskType as TaskType] = value;
  }
  return parsed;
});

/** Every environment variable Offload reads, and what each may hold (`.env.example` documents them). */
export const envSchema = z.object({
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_CLI: z.string().optional(),
  TEMPORAL_TLS_CERT: z.string().optional(),
  TEMPORAL_TLS_KEY: z.string().optional(),
  TEMPORAL_TLS_CA: z.string().optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().optional(),
  TEMPORAL_API_KEY: z.string().optional(),
  TEMPORAL_TLS: flag.optional(),
  OFFLOAD_TEMPORAL_PORT: fixedPort.default(7233),
  OFFLOAD_TEMPORAL_UI_PORT: fixedPort.default(8233),
  OFFLOAD_DATA_DIR: z.string().optional(),
  OFFLOAD_TASK_QUEUE_PREFIX: queueName.default(DEFAULT_QUEUE_PREFIX),
  OFFLOAD_ROUTES: routes.default(''),
  OFFLOAD_DEADLINES_MS: deadlines.default(''),
  OFFLOAD_PICKUP_TIMEOUT_MS: positiveInt.default(3000),
  OFFLOAD_ATTEMPTS_PER_HARDWARE: positiveInt.default(2),
  OFFLOAD_HEARTBEAT_TIMEOUT_MS: positiveInt.default(DEFAULT_HEARTBEAT_TIMEOUT_MS),
  OFFLOAD_MAX_PAYLOAD_BYTES: positiveInt.default(1024 * 1024),
  OFFLOAD_HARDWARE: hardware.default('cpu'),
  OFFLOAD_EXECUTION_PROVIDER: z.enum(['auto', 'cpu', 'cuda']).default('auto'),
  OFFLOAD_INTRA_OP_THREADS: positiveInt.default(1),
  OFFLOAD_SERVE_WHILE_LOADING: z.enum(['true', 'false']).default('true'),
  OFFLOAD_WORKER_SLOTS: positiveInt.default(2),
  OFFLOAD_MODEL_DIR: z.string().optional(),
  OFFLOAD_MODEL_SOURCES: z.string().optional(),
  OFFLOAD_INTENTS_FILE: z.string().optional(),
  OFFLOAD_TEXT_PROVIDER: z.enum(TEXT_PROVIDERS).optional(),
  OFFLOAD_OPENAI_BASE_URL: z.string().regex(/^https?:\/\/[^/\s]+/, 'must be an http:// or https:// URL').optional(),
  OFFLOAD_OPENAI_MODEL: z.string().optional(),
  OFFLOAD_OPENAI_API_KEY: z.string().optional(),
  OFFLOAD_TEXT_ONNX_DIR: z.string().optional(),
  OFFLOAD_LLAMA_THREADS: positiveInt.optional(),
  OFFLOAD_LLAMA_CONTEXT_SIZE: positiveInt.optional(),
  OFFLOAD_TEXT_CACHE_SIZE: z.coerce.number().int().min(0).default(256),
  OFFLOAD_TEXT_CACHE_SAMPLED: z.enum(['true', 'false']).default('false'),
  OFFLOAD_API_HOST: z.string().default('0.0.0.0'),
  OFFLOAD_API_PORT: port.default(8000),
  OFFLOAD_ROBOT_HOST: z.string().default('127.0.0.1'),
  OFFLOAD_ROBOT_PUB_PORT: port.default(5555),
  OFFLOAD_ROBOT_SUB_PORT: port.default(5556),
  OFFLOAD_ROBOT_ID: z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'may only hold letters, digits and _.@- (at most 64)').default('rider-pi'),
  OFFLOAD_ROBOT_API_URL: z.string().url().optional(),
  OFFLOAD_ROBOT_LANGUAGE: z.enum(['pl', 'en']).default('pl'),
  OFFLOAD_VOICE_AUDIO_DIR: z.string().optional(),
  OFFLOAD_VOICE_VAD_THRESHOLD: z.coerce.number().gt(0).lt(1).default(0.5),
  OFFLOAD_VOICE_SILENCE_MS: positiveInt.default(500),
  OFFLOAD_VOICE_PREFIX_PADDING_MS: z.coerce.number().int().min(0).max(2000).default(500),
  OFFLOAD_VOICE_MIN_SPEECH_MS: positiveInt.default(250),
  OFFLOAD_VOICE_MAX_UTTERANCE_MS: positiveInt.default(15000),
  OFFLOAD_VOICE_TURN_DEADLINE_MS: positiveInt.default(8000),
  OFFLOAD_VOICE_IDLE_TIMEOUT_MS: positiveInt.default(300000),
  OFFLOAD_PUBLIC_URL: z.string().url().optional(),
  OFFLOAD_BUS_CURVE_SERVER_KEY: z85Key.optional(),
  OFFLOAD_BUS_CURVE_PUBLIC_KEY: z85Key.optional(),
  OFFLOAD_BUS_CURVE_SECRET_KEY: z85Key.optional(),
  OFFLOAD_BRIDGE_TASK_QUEUE: queueName.optional(),
  OFFLOAD_TTS_CHUNK_MS: positiveInt.default(500),
  OFFLOAD_BRIDGE_FAST_FALLBACK: flag.default('true'),
  OFFLOAD_FAST_PATH: flag.default('false'),
  OFFLOAD_CAMERA_HFOV_DEG: z.coerce.number().gt(0).lt(180).default(62),
  OFFLOAD_CAMERA_HEIGHT_M: z.coerce.number().gt(0).default(0.15),
  OFFLOAD_CAMERA_PITCH_DEG: z.coerce.number().gt(-90).lt(90).default(0),
  OFFLOAD_OBSTACLE_PATH_WIDTH: z.coerce.number().gt(0).max(1).default(0.5),
  OFFLOAD_OBSTACLE_MIN_SCORE: z.coerce.number().min(0).max(1).default(0.4),
  OFFLOAD_OBSTACLE_MAX_DISTANCE_M: z.coerce.number().gt(0).default(1.5),
  OFFLOAD_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  OFFLOAD_LOG_FORMAT: z.enum(['pretty', 'json']).default('pretty'),
  OFFLOAD_LOG_PAYLOADS: z.enum(['true', 'false']).default('false'),
  OFFLOAD_WORKER_METRICS_PORT: z.union([z.literal('off'), port]).default(0),
  OFFLOAD_WORKER_METRICS_HOST: z.string().default('0.0.0.0'),
  OFFLOAD_SDK_METRICS: z.enum(['on', 'off']).default('on'),
  OFFLOAD_TRACING: z.enum(['auto', 'on', 'off']).default('auto'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.string().optional(),
  OTEL_SERVICE_NAME: z.string().optional(),
  OTEL_TRACES_EXPORTER: z.string().optional(),
  OFFLOAD_BUS_TELEMETRY: z.enum(['on', 'off']).default('on'),
  OFFLOAD_TELEMETRY_INTERVAL_MS: z.coerce.number().int().min(0).default(5000),
  OFFLOAD_BREAKER_WINDOW_MS: positiveInt.default(60_000),
  OFFLOAD_BREAKER_OPEN_MS: positiveInt.default(60_000),
  OFFLOAD_CACHE_DIR: z.string().optional(),
  XDG_CACHE_HOME: z.string().optional(),
  PATH: z.string().default(''),
});

export type EnvVariable = keyof typeof envSchema.shape;
export type ParsedEnv = z.infer<typeof envSchema>;

/**
 * Variables whose own specification says an empty value means unset: the XDG base directories,
 * OpenTelemetry's `OTEL_*` and an empty PATH (nothing to search). Any other variable that is set
 * but empty is an error: `OFFLOAD_API_PORT=` would otherwise quietly become port 0.
 */
export const EMPTY_MEANS_UNSET: ReadonlySet<EnvVariable> = new Set<EnvVariable>([
  'XDG_CACHE_HOME',
  'PATH',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_SERVICE_NAME',
  'OTEL_TRACES_EXPORTER',
]);

export const ENV_VARIABLES = Object.keys(envSchema.shape) as EnvVariable[];
