import path from 'node:path';
import { defaultModelDir, defaultModelSources, findRepoRoot } from '../models/model-dirs';
import { bridgeQueue } from '../shared/queues';
import { offloadCacheDir } from './cache-dir';
import { DEFAULT_DEADLINES_MS, DEFAULT_ROUTES } from './defaults';
import { EMPTY_MEANS_UNSET, ENV_VARIABLES, envSchema, type ParsedEnv } from './env-schema';
import type { OffloadConfig, TemporalConnectionSettings, TracingSettings } from './offload-config';

export type * from './offload-config';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads Offload's settings from the environment; a bad or empty value throws naming the variable. */
export function loadConfig(env: Env = process.env): OffloadConfig {
  const parsed = envSchema.safeParse(withoutEmptyValues(env));
  const problems = [...emptyVariables(env), ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`))];
  if (!parsed.success || problems.length > 0) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  const e = parsed.data;
  const curveKeys = [e.OFFLOAD_BUS_CURVE_SERVER_KEY, e.OFFLOAD_BUS_CURVE_PUBLIC_KEY, e.OFFLOAD_BUS_CURVE_SECRET_KEY];
  if (curveKeys.some(Boolean) && !curveKeys.every(Boolean)) {
    throw new ConfigError('invalid configuration: OFFLOAD_BUS_CURVE_SERVER_KEY, OFFLOAD_BUS_CURVE_PUBLIC_KEY and OFFLOAD_BUS_CURVE_SECRET_KEY go together: set all three or none');
  }
  if (e.OFFLOAD_OPENAI_BASE_URL && !e.OFFLOAD_OPENAI_MODEL) {
    throw new ConfigError('invalid configuration: OFFLOAD_OPENAI_MODEL: is required with OFFLOAD_OPENAI_BASE_URL (the model name the server knows)');
  }
  const dataDir = path.resolve(findRepoRoot(), e.OFFLOAD_DATA_DIR ?? 'data');
  return {
    temporalAddress: e.TEMPORAL_ADDRESS,
    namespace: e.TEMPORAL_NAMESPACE,
    temporalConnection: temporalConnection(e),
    temporalCli: { path: e.TEMPORAL_CLI, searchPath: e.PATH },
    devServer: { port: e.OFFLOAD_TEMPORAL_PORT, uiPort: e.OFFLOAD_TEMPORAL_UI_PORT, dbFile: path.join(dataDir, 'temporal.db') },
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
      language: e.OFFLOAD_ROBOT_LANGUAGE,
      curve: e.OFFLOAD_BUS_CURVE_SERVER_KEY
        ? { serverKey: e.OFFLOAD_BUS_CURVE_SERVER_KEY, publicKey: e.OFFLOAD_BUS_CURVE_PUBLIC_KEY as string, secretKey: e.OFFLOAD_BUS_CURVE_SECRET_KEY as string }
        : undefined,
    },
    voice: {
      audioDir: path.resolve(e.OFFLOAD_VOICE_AUDIO_DIR ?? path.join(dataDir, 'voice-audio')),
      endpointing: {
        threshold: e.OFFLOAD_VOICE_VAD_THRESHOLD,
        silenceMs: e.OFFLOAD_VOICE_SILENCE_MS,
        prefixPaddingMs: e.OFFLOAD_VOICE_PREFIX_PADDING_MS,
        minSpeechMs: e.OFFLOAD_VOICE_MIN_SPEECH_MS,
        maxUtteranceMs: e.OFFLOAD_VOICE_MAX_UTTERANCE_MS,
      },
      turnDeadlineMs: e.OFFLOAD_VOICE_TURN_DEADLINE_MS,
      idleTimeoutMs: e.OFFLOAD_VOICE_IDLE_TIMEOUT_MS,
    },
    bridge: {
      taskQueue: e.OFFLOAD_BRIDGE_TASK_QUEUE ?? bridgeQueue(e.OFFLOAD_TASK_QUEUE_PREFIX),
      publicUrl: e.OFFLOAD_PUBLIC_URL ?? `http://127.0.0.1:${e.OFFLOAD_API_PORT}`,
      ttsChunkMs: e.OFFLOAD_TTS_CHUNK_MS,
      fastFallback: e.OFFLOAD_BRIDGE_FAST_FALLBACK,
    },
    obstacle: {
      hfovDeg: e.OFFLOAD_CAMERA_HFOV_DEG,
      cameraHeightM: e.OFFLOAD_CAMERA_HEIGHT_M,
      pitchDeg: e.OFFLOAD_CAMERA_PITCH_DEG,
      pathWidth: e.OFFLOAD_OBSTACLE_PATH_WIDTH,
      minScore: e.OFFLOAD_OBSTACLE_MIN_SCORE,
      maxDistanceM: e.OFFLOAD_OBSTACLE_MAX_DISTANCE_M,
    },
    fastPath: e.OFFLOAD_FAST_PATH,
    modelDir: path.resolve(e.OFFLOAD_MODEL_DIR ?? defaultModelDir()),
    modelSources: e.OFFLOAD_MODEL_SOURCES ? e.OFFLOAD_MODEL_SOURCES.split(':').filter(Boolean).map((dir) => path.resolve(dir)) : defaultModelSources(),
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
    dataDir,
    cacheDir: offloadCacheDir(e),
    logLevel: e.OFFLOAD_LOG_LEVEL,
    logFormat: e.OFFLOAD_LOG_FORMAT,
    telemetry: {
      logPayloads: e.OFFLOAD_LOG_PAYLOADS === 'true',
      workerMetricsPort: e.OFFLOAD_WORKER_METRICS_PORT,
      workerMetricsHost: e.OFFLOAD_WORKER_METRICS_HOST,
      sdkMetrics: e.OFFLOAD_SDK_METRICS === 'on',
      tracing: tracing(e),
      busTelemetry: e.OFFLOAD_BUS_TELEMETRY === 'on',
      statusIntervalMs: e.OFFLOAD_TELEMETRY_INTERVAL_MS,
      breakerWindowMs: e.OFFLOAD_BREAKER_WINDOW_MS,
      breakerOpenMs: e.OFFLOAD_BREAKER_OPEN_MS,
    },
    childEnv: { ...env },
  };
}

function emptyVariables(env: Env): string[] {
  return ENV_VARIABLES.filter((name) => env[name] === '' && !EMPTY_MEANS_UNSET.has(name)).map((name) => `${name}: is set but empty (give it a value or unset it)`);
}

/** An empty value is either an error (`emptyVariables`) or, for the variables that allow it, unset. */
function withoutEmptyValues(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
}

function temporalConnection(e: ParsedEnv): TemporalConnectionSettings {
  const cert = e.TEMPORAL_TLS_CERT;
  const key = e.TEMPORAL_TLS_KEY;
  if (Boolean(cert) !== Boolean(key)) {
    throw new ConfigError(`invalid configuration: ${cert ? 'TEMPORAL_TLS_KEY' : 'TEMPORAL_TLS_CERT'} must be set too: mTLS needs both the client certificate and its key`);
  }
  return {
    clientCertPair: cert && key ? { cert, key } : undefined,
    serverRootCa: e.TEMPORAL_TLS_CA,
    serverName: e.TEMPORAL_TLS_SERVER_NAME,
    apiKey: e.TEMPORAL_API_KEY,
    tls: e.TEMPORAL_TLS,
  };
}

/** Off unless asked for: `OFFLOAD_TRACING=on`, or with `auto` an OTLP endpoint. When off it costs nothing. */
function tracing(e: ParsedEnv): TracingSettings {
  const endpoint = e.OTEL_EXPORTER_OTLP_ENDPOINT ?? e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  return {
    enabled: e.OFFLOAD_TRACING === 'auto' ? endpoint !== undefined : e.OFFLOAD_TRACING === 'on',
    serviceName: e.OTEL_SERVICE_NAME,
    exporter: e.OTEL_TRACES_EXPORTER === 'console' ? 'console' : 'otlp',
  };
}
