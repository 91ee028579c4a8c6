import { z } from 'zod';
import { bridgeQueue, DEFAULT_QUEUE_PREFIX } from '../shared/queues';
import { HARDWARE_CLASSES, TASK_TYPES, type Hardware, type TaskType } from '../shared/task-types';
import { DEFAULT_DEADLINES_MS, DEFAULT_HEARTBEAT_TIMEOUT_MS, DEFAULT_ROUTES } from './defaults';
import { TEXT_PROVIDERS, type TextGenerationSettings } from '../models/text-generation/text-generation-settings';

const hardware = z.enum(HARDWARE_CLASSES);
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
/** A ZeroMQ CURVE key in Z85 text (40 characters). */
const z85Key = z.string().regex(/^[0-9a-zA-Z.:+=^!/*?&<>()[\]{}@%$#-]{40}$/, 'must be a 40-character Z85 CURVE key');

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

const envSchema = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  OFFLOAD_TASK_QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]+$/).default(DEFAULT_QUEUE_PREFIX),
  OFFLOAD_API_HOST: z.string().min(1).default('0.0.0.0'),
  OFFLOAD_API_PORT: port.default(8000),
  OFFLOAD_ROBOT_HOST: z.string().min(1).default('127.0.0.1'),
  OFFLOAD_ROBOT_ID: z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'may only hold letters, digits and _.@- (at most 64)').default('rider-pi'),
  OFFLOAD_ROBOT_PUB_PORT: port.default(5555),
  OFFLOAD_ROBOT_SUB_PORT: port.default(5556),
  OFFLOAD_ROBOT_API_URL: z.string().url().optional(),
  OFFLOAD_PUBLIC_URL: z.string().url().optional(),
  OFFLOAD_BUS_CURVE_SERVER_KEY: z85Key.optional(),
  OFFLOAD_BUS_CURVE_PUBLIC_KEY: z85Key.optional(),
  OFFLOAD_BUS_CURVE_SECRET_KEY: z85Key.optional(),
  OFFLOAD_BRIDGE_TASK_QUEUE: z.string().regex(/^[A-Za-z0-9_.-]+$/).optional(),
  OFFLOAD_TTS_CHUNK_MS: positiveInt.default(500),
  OFFLOAD_CAMERA_HFOV_DEG: z.coerce.number().gt(0).lt(180).default(62),
  OFFLOAD_CAMERA_HEIGHT_M: z.coerce.number().gt(0).default(0.15),
  OFFLOAD_CAMERA_PITCH_DEG: z.coerce.number().gt(-90).lt(90).default(0),
  OFFLOAD_OBSTACLE_PATH_WIDTH: z.coerce.number().gt(0).max(1).default(0.5),
  OFFLOAD_OBSTACLE_MIN_SCORE: z.coerce.number().min(0).max(1).default(0.4),
  OFFLOAD_OBSTACLE_MAX_DISTANCE_M: z.coerce.number().gt(0).default(1.5),
  OFFLOAD_MODEL_DIR: z.string().min(1).optional(),
  OFFLOAD_INTENTS_FILE: z.string().min(1).optional(),
  OFFLOAD_TEXT_PROVIDER: z.enum(TEXT_PROVIDERS).optional(),
  OFFLOAD_OPENAI_BASE_URL: z.string().regex(/^https?:\/\/[^/\s]+/, 'must be an http:// or https:// URL').optional(),
  OFFLOAD_OPENAI_MODEL: z.string().min(1).optional(),
  OFFLOAD_OPENAI_API_KEY: z.string().min(1).optional(),
  OFFLOAD_TEXT_ONNX_DIR: z.string().min(1).optional(),
  OFFLOAD_LLAMA_THREADS: positiveInt.optional(),
  OFFLOAD_LLAMA_CONTEXT_SIZE: positiveInt.optional(),
  OFFLOAD_TEXT_CACHE_SIZE: z.coerce.number().int().min(0).default(256),
  OFFLOAD_TEXT_CACHE_SAMPLED: z.enum(['true', 'false']).default('false'),
  OFFLOAD_HARDWARE: hardware.default('cpu'),
  OFFLOAD_EXECUTION_PROVIDER: z.enum(['auto', 'cpu', 'cuda']).default('auto'),
  OFFLOAD_INTRA_OP_THREADS: positiveInt.default(1),
  OFFLOAD_SERVE_WHILE_LOADING: z.enum(['true', 'false']).default('true'),
  OFFLOAD_WORKER_SLOTS: positiveInt.default(2),
  OFFLOAD_ROUTES: routes.default(''),
  OFFLOAD_DEADLINES_MS: deadlines.default(''),
  OFFLOAD_PICKUP_TIMEOUT_MS: positiveInt.default(3000),
  OFFLOAD_ATTEMPTS_PER_HARDWARE: positiveInt.default(2),
  OFFLOAD_HEARTBEAT_TIMEOUT_MS: positiveInt.default(DEFAULT_HEARTBEAT_TIMEOUT_MS),
  OFFLOAD_MAX_PAYLOAD_BYTES: positiveInt.default(1024 * 1024),
  OFFLOAD_DATA_DIR: z.string().min(1).optional(),
  OFFLOAD_TEMPORAL_PORT: port.default(7233),
  OFFLOAD_TEMPORAL_UI_PORT: port.default(8233),
  OFFLOAD_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  OFFLOAD_LOG_PAYLOADS: z.enum(['true', 'false']).default('false'),
  OFFLOAD_WORKER_METRICS_PORT: z.union([z.literal('off'), port]).default(0),
  OFFLOAD_WORKER_METRICS_HOST: z.string().min(1).default('0.0.0.0'),
  OFFLOAD_SDK_METRICS: z.enum(['on', 'off']).default('on'),
  OFFLOAD_TRACING: z.enum(['auto', 'on', 'off']).default('auto'),
  OFFLOAD_BUS_TELEMETRY: z.enum(['on', 'off']).default('on'),
  OFFLOAD_TELEMETRY_INTERVAL_MS: z.coerce.number().int().min(0).default(5000),
  OFFLOAD_BREAKER_WINDOW_MS: positiveInt.default(60_000),
  OFFLOAD_BREAKER_OPEN_MS: positiveInt.default(60_000),
});

export interface OffloadConfig {
  /** Temporal frontend; unset means `npm start` runs its own dev server. */
  temporalAddress?: string;
  namespace: string;
  queuePrefix: string;
  apiHost: string;
  apiPort: number;
  robotHost: string;
  robot: RobotConnectionConfig;
  bridge: BridgeSettings;
  obstacle: ObstacleGeometry;
  modelDir?: string;
  /** Labelled example utterances per intent for text.nlu (default config/intents.json). */
  intentsFile?: string;
  /** Which provider serves text.generate, its settings and the response cache. */
  textGeneration: TextGenerationSettings;
  hardware: Hardware;
  executionProvider: 'auto' | 'cpu' | 'cuda';
  intraOpThreads: number;
  /** An inference worker polls once its first model is warm; a task for a model still loading waits for it. */
  serveWhileLoading: boolean;
  workerSlots: number;
  routes: Record<TaskType, Hardware[]>;
  deadlinesMs: Record<TaskType, number>;
  pickupTimeoutMs: number;
  attemptsPerHardware: number;
  /** A model activity that sends no heartbeat this long is declared lost and retried. */
  heartbeatTimeoutMs: number;
  maxPayloadBytes: number;
  dataDir?: string;
  devServerPort: number;
  devServerUiPort: number;
  logLevel: string;
  telemetry: TelemetrySettings;
}

/** Metrics, tracing, robot-bus telemetry and log contents. */
export interface TelemetrySettings {
  /** Keep transcripts, prompts, texts, audio and images in log lines (debugging only; default false). */
  logPayloads: boolean;
  /** Port of each worker's /metrics: 0 picks a free one (the API finds it), `off` serves none. */
  workerMetricsPort: number | 'off';
  /** Address the worker metrics server binds (default every interface). */
  workerMetricsHost: string;
  /** Add the Temporal SDK's own `temporal_*` series to each worker's /metrics. */
  sdkMetrics: boolean;
  /** OpenTelemetry tracing: `auto` = on when an OTLP endpoint is set in OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT. */
  tracing: 'auto' | 'on' | 'off';
  /** Publish telemetry.* topics on the robot bus (from the workflow worker). */
  busTelemetry: boolean;
  /** Period of telemetry.provider.status and telemetry.queue.metrics, in ms (0: never). */
  statusIntervalMs: number;
  /** The reporting circuit breakers: failures this recent count towards opening one (default 60 s). */
  breakerWindowMs: number;
  /** An open breaker turns half-open this long after its last failure (default 60 s). */
  breakerOpenMs: number;
}

/** Where the robot's ZeroMQ broker and HTTP API are. */
export interface RobotConnectionConfig {
  /** Robot id used in task ids, search attributes and logs. */
  id: string;
  host: string;
  /** The broker's XSUB port: the bridge's PUB connects here (robot default 5555). */
  pubPort: number;
  /** The broker's XPUB port: the bridge's SUB connects here (robot default 5556). */
  subPort: number;
  /** The robot's HTTP API (e.g. http://rider-pi:8080); set it to send `pc-heartbeat`s. */
  apiUrl?: string;
  /** CURVE encryption of the bus: the broker's public key and this PC's key pair (Z85). */
  curve?: { serverKey: string; publicKey: string; secretKey: string };
}

export interface BridgeSettings {
  /** Task queue the bridge serves result deliveries on (default `<prefix>-bridge`; one per robot). */
  taskQueue: string;
  /** URL the robot reaches this PC's API at (`base_url` of the heartbeat). */
  publicUrl: string;
  /** Length of one `voice.tts.chunk` when the TTS model does not cut its audio into sentences. */
  ttsChunkMs: number;
}

/** Camera and path geometry that turns detection boxes into the robot's obstacle summary. */
export interface ObstacleGeometry {
  /** Horizontal field of view of the robot's camera, in degrees. */
  hfovDeg: number;
  /** Height of the camera above the floor, in metres. */
  cameraHeightM: number;
  /** Downward tilt of the camera, in degrees (0 = level). */
  pitchDeg: number;
  /** Width of the robot's path as a fraction of the image width, centred. */
  pathWidth: number;
  /** Detections below this score are not obstacles. */
  minScore: number;
  /** Objects farther than this (metres) are not obstacles yet. */
  maxDistanceM: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads Offload's settings from the environment; a bad value throws naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): OffloadConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  const curveKeys = [e.OFFLOAD_BUS_CURVE_SERVER_KEY, e.OFFLOAD_BUS_CURVE_PUBLIC_KEY, e.OFFLOAD_BUS_CURVE_SECRET_KEY];
  if (curveKeys.some(Boolean) && !curveKeys.every(Boolean)) {
    throw new ConfigError('invalid configuration: OFFLOAD_BUS_CURVE_SERVER_KEY, OFFLOAD_BUS_CURVE_PUBLIC_KEY and OFFLOAD_BUS_CURVE_SECRET_KEY go together: set all three or none');
  }
  if (e.OFFLOAD_OPENAI_BASE_URL && !e.OFFLOAD_OPENAI_MODEL) {
    throw new ConfigError('invalid configuration: OFFLOAD_OPENAI_MODEL: is required with OFFLOAD_OPENAI_BASE_URL (the model name the server knows)');
  }
  return {
    temporalAddress: e.TEMPORAL_ADDRESS,
    namespace: e.TEMPORAL_NAMESPACE,
    queuePrefix: e.OFFLOAD_TASK_QUEUE_PREFIX,
    apiHost: e.OFFLOAD_API_HOST,
    apiPort: e.OFFLOAD_API_PORT,
    robotHost: e.OFFLOAD_ROBOT_HOST,
    robot: {
      id: e.OFFLOAD_ROBOT_ID,
      host: e.OFFLOAD_ROBOT_HOST,
      pubPort: e.OFFLOAD_ROBOT_PUB_PORT,
      subPort: e.OFFLOAD_ROBOT_SUB_PORT,
      apiUrl: e.OFFLOAD_ROBOT_API_URL,
      curve: e.OFFLOAD_BUS_CURVE_SERVER_KEY
        ? { serverKey: e.OFFLOAD_BUS_CURVE_SERVER_KEY, publicKey: e.OFFLOAD_BUS_CURVE_PUBLIC_KEY as string, secretKey: e.OFFLOAD_BUS_CURVE_SECRET_KEY as string }
        : undefined,
    },
    bridge: {
      taskQueue: e.OFFLOAD_BRIDGE_TASK_QUEUE ?? bridgeQueue(e.OFFLOAD_TASK_QUEUE_PREFIX),
      publicUrl: e.OFFLOAD_PUBLIC_URL ?? `http://127.0.0.1:${e.OFFLOAD_API_PORT}`,
      ttsChunkMs: e.OFFLOAD_TTS_CHUNK_MS,
    },
    obstacle: {
      hfovDeg: e.OFFLOAD_CAMERA_HFOV_DEG,
      cameraHeightM: e.OFFLOAD_CAMERA_HEIGHT_M,
      pitchDeg: e.OFFLOAD_CAMERA_PITCH_DEG,
      pathWidth: e.OFFLOAD_OBSTACLE_PATH_WIDTH,
      minScore: e.OFFLOAD_OBSTACLE_MIN_SCORE,
      maxDistanceM: e.OFFLOAD_OBSTACLE_MAX_DISTANCE_M,
    },
    modelDir: e.OFFLOAD_MODEL_DIR,
    intentsFile: e.OFFLOAD_INTENTS_FILE,
    textGeneration: {
      provider: e.OFFLOAD_TEXT_PROVIDER,
      openai:
        e.OFFLOAD_OPENAI_BASE_URL && e.OFFLOAD_OPENAI_MODEL
          ? { baseUrl: e.OFFLOAD_OPENAI_BASE_URL, model: e.OFFLOAD_OPENAI_MODEL, apiKey: e.OFFLOAD_OPENAI_API_KEY }
          : undefined,
      onnxDir: e.OFFLOAD_TEXT_ONNX_DIR,
      llamaThreads: e.OFFLOAD_LLAMA_THREADS,
      llamaContextSize: e.OFFLOAD_LLAMA_CONTEXT_SIZE,
      cache: { maxEntries: e.OFFLOAD_TEXT_CACHE_SIZE, cacheSampled: e.OFFLOAD_TEXT_CACHE_SAMPLED === 'true' },
    },
    hardware: e.OFFLOAD_HARDWARE,
    executionProvider: e.OFFLOAD_EXECUTION_PROVIDER,
    intraOpThreads: e.OFFLOAD_INTRA_OP_THREADS,
    serveWhileLoading: e.OFFLOAD_SERVE_WHILE_LOADING === 'true',
    workerSlots: e.OFFLOAD_WORKER_SLOTS,
    routes: { ...DEFAULT_ROUTES, ...e.OFFLOAD_ROUTES },
    deadlinesMs: { ...DEFAULT_DEADLINES_MS, ...e.OFFLOAD_DEADLINES_MS },
    pickupTimeoutMs: e.OFFLOAD_PICKUP_TIMEOUT_MS,
    attemptsPerHardware: e.OFFLOAD_ATTEMPTS_PER_HARDWARE,
    heartbeatTimeoutMs: e.OFFLOAD_HEARTBEAT_TIMEOUT_MS,
    maxPayloadBytes: e.OFFLOAD_MAX_PAYLOAD_BYTES,
    dataDir: e.OFFLOAD_DATA_DIR,
    devServerPort: e.OFFLOAD_TEMPORAL_PORT,
    devServerUiPort: e.OFFLOAD_TEMPORAL_UI_PORT,
    logLevel: e.OFFLOAD_LOG_LEVEL,
    telemetry: {
      logPayloads: e.OFFLOAD_LOG_PAYLOADS === 'true',
      workerMetricsPort: e.OFFLOAD_WORKER_METRICS_PORT,
      workerMetricsHost: e.OFFLOAD_WORKER_METRICS_HOST,
      sdkMetrics: e.OFFLOAD_SDK_METRICS === 'on',
      tracing: e.OFFLOAD_TRACING,
      busTelemetry: e.OFFLOAD_BUS_TELEMETRY === 'on',
      statusIntervalMs: e.OFFLOAD_TELEMETRY_INTERVAL_MS,
      breakerWindowMs: e.OFFLOAD_BREAKER_WINDOW_MS,
      breakerOpenMs: e.OFFLOAD_BREAKER_OPEN_MS,
    },
  };
}
