import type { TextGenerationSettings } from '../models/text-generation/text-generation-settings';
import type { Hardware, TaskType } from '../shared/task-types';

/** Everything an Offload process reads from its environment, parsed and resolved by `loadConfig`. */
export interface OffloadConfig {
  /** Temporal frontend; unset means `npm start` runs its own dev server (others use 127.0.0.1:7233). */
  temporalAddress?: string;
  namespace: string;
  /** TLS and API key of the Temporal connection. */
  temporalConnection: TemporalConnectionSettings;
  /** Where the `temporal` CLI binary comes from. */
  temporalCli: TemporalCliSettings;
  /** The persisted dev server `npm start` and `npm run temporal` run. */
  devServer: DevServerSettings;
  queuePrefix: string;
  apiHost: string;
  apiPort: number;
  robotHost: string;
  robot: RobotConnectionConfig;
  bridge: BridgeSettings;
  voice: VoiceSettings;
  obstacle: ObstacleGeometry;
  /** Directory of installed models, absolute (default `<repo>/models`). */
  modelDir: string;
  /** Directories missing models are copied from, absolute (default `<repo>/../shared/models`). */
  modelSources: string[];
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
  /** State kept between runs (dev-server database, the bridge's delivery journal), absolute (default `<repo>/data`). */
  dataDir: string;
  /** Downloads kept outside the repository: the Temporal CLI build, model packages (default `~/.cache/offload`). */
  cacheDir: string;
  logLevel: string;
  /** How `npm start` prints its children's JSON log lines: one readable line each, or the JSON as is. */
  logFormat: 'pretty' | 'json';
  telemetry: TelemetrySettings;
  /**
   * The bridge runs its robot's task workflows itself: started eagerly (their first workflow task
   * comes back with the start) and delivered by a local activity (docs/architecture.md#the-fast-path-offload_fast_path-on-by-default).
   */
  fastPath: boolean;
  /** The environment this config was read from, handed on to child processes (npm start's workers, `go install`). */
  childEnv: Readonly<Record<string, string | undefined>>;
}

/** TLS and authentication of the Temporal connection (certificates are file paths or PEM text). */
export interface TemporalConnectionSettings {
  /** mTLS client certificate and its key (`TEMPORAL_TLS_CERT`, `TEMPORAL_TLS_KEY`: both or neither). */
  clientCertPair?: { cert: string; key: string };
  /** Root CA of the server (`TEMPORAL_TLS_CA`). */
  serverRootCa?: string;
  /** Server name override for TLS (`TEMPORAL_TLS_SERVER_NAME`). */
  serverName?: string;
  /** API key (Temporal Cloud), sent as a bearer token; implies TLS (`TEMPORAL_API_KEY`). */
  apiKey?: string;
  /** `TEMPORAL_TLS`: forces TLS on (true) or off (false); unset, TLS is on when any setting above is. */
  tls?: boolean;
}

/** Where the `temporal` binary is found (see temporal/install-cli.ts). */
export interface TemporalCliSettings {
  /** `TEMPORAL_CLI`: a binary to use as it is. */
  path?: string;
  /** `PATH`: searched for a `temporal` binary, and for `go` to build the pinned one. */
  searchPath: string;
}

/** The persisted local dev server. */
export interface DevServerSettings {
  /** Frontend gRPC port (`OFFLOAD_TEMPORAL_PORT`, default 7233). */
  port: number;
  /** Web UI port (`OFFLOAD_TEMPORAL_UI_PORT`, default 8233). */
  uiPort: number;
  /** SQLite file the state persists in: `<data dir>/temporal.db`. */
  dbFile: string;
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
  tracing: TracingSettings;
  /** Publish telemetry.* topics on the robot bus (from the workflow worker). */
  busTelemetry: boolean;
  /** Period of telemetry.provider.status and telemetry.queue.metrics, in ms (0: never). */
  statusIntervalMs: number;
  /** The reporting circuit breakers: failures this recent count towards opening one (default 60 s). */
  breakerWindowMs: number;
  /** An open breaker turns half-open this long after its last failure (default 60 s). */
  breakerOpenMs: number;
}

/** OpenTelemetry tracing; the OTLP exporter reads its other `OTEL_*` variables itself. */
export interface TracingSettings {
  /** `OFFLOAD_TRACING=on`, or with `auto` (the default) an endpoint in OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT. */
  enabled: boolean;
  /** `OTEL_SERVICE_NAME`, which replaces each process's own `offload-<role>`. */
  serviceName?: string;
  /** `OTEL_TRACES_EXPORTER=console` prints spans instead of exporting them over OTLP/HTTP. */
  exporter: 'otlp' | 'console';
}

/** Languages the robot's voice is served in. */
export type RobotLanguage = 'pl' | 'en';

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
  /** The language the robot speaks and listens in (`OFFLOAD_ROBOT_LANGUAGE`, default `pl`, Rider-Pi's own): it picks the voice models. */
  language: RobotLanguage;
  /** CURVE encryption of the bus: the broker's public key and this PC's key pair (Z85). */
  curve?: { serverKey: string; publicKey: string; secretKey: string };
}

/** The voice-session engine: endpointing in the front door, turns in a session workflow. */
export interface VoiceSettings {
  /**
   * Utterance and reply audio, which never enters workflow history: the front door and the inference
   * workers read and write it here (default `<data>/voice-audio`; a shared directory when they run on several machines).
   */
  audioDir: string;
  endpointing: EndpointingSettings;
  /** A turn's answer is worthless this long after the end of its utterance. */
  turnDeadlineMs: number;
  /** A session with no utterance for this long ends (the next utterance starts it again). */
  idleTimeoutMs: number;
}

/** How the Silero VAD's scores become utterances. */
export interface EndpointingSettings {
  /** A 32 ms window scoring at least this is speech. */
  threshold: number;
  /** This much silence after speech ends the utterance. */
  silenceMs: number;
  /** Audio kept before the first speech window. */
  prefixPaddingMs: number;
  /** Less speech than this is a click or a cough: no turn. */
  minSpeechMs: number;
  /** An utterance is cut here even if speech goes on. */
  maxUtteranceMs: number;
}

export interface BridgeSettings {
  /** Task queue the bridge serves result deliveries on (default `<prefix>-bridge`; one per robot). */
  taskQueue: string;
  /** URL the robot reaches this PC's API at (`base_url` of the heartbeat). */
  publicUrl: string;
  /** Length of one `voice.tts.chunk` when the TTS model does not cut its audio into sentences. */
  ttsChunkMs: number;
  /** A request no live worker can serve (none on its route) is answered fallback_required at once, without a run. */
  fastFallback: boolean;
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
