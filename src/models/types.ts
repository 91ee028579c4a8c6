import type { DetectionResult } from '../shared/detection';
import type { GenerationResult, SpeechResult, TranscriptionResult, UnderstandingResult } from '../shared/model-results';
import type { GeneratePayload } from '../shared/task';
import type { Hardware, TaskType } from '../shared/task-types';
import type { TextGenerationSettings } from './text-generation/text-generation-settings';

export type ExecutionProvider = 'cpu' | 'cuda';
export type ModelKind = 'real' | 'test-graph';

export interface InstalledModel {
  id: string;
  taskTypes: TaskType[];
  kind: ModelKind;
  /** Directory holding the model's files. */
  dir: string;
}

export interface InferenceOutput<R> {
  result: R;
  model: { id: string; kind: ModelKind };
  timings: { preprocess_ms: number; inference_ms: number; postprocess_ms: number; [stage: string]: number };
}

export interface DetectOptions extends CallOptions {
  /** Minimum objectness x class score kept (default 0.3). */
  scoreThreshold?: number;
  /** IoU above which NMS suppresses the weaker box of the same class (default 0.45). */
  nmsThreshold?: number;
}

/** Decoded-or-not audio as a task carries it; families decode and resample it themselves. */
export interface AudioInput {
  data: Uint8Array;
  format: 'wav' | 'pcm_s16le';
  /** Required for `pcm_s16le`. */
  sampleRate?: number;
  language?: string;
}

/** Per call: cancellation (the activity's signal) and streaming callbacks. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Run this model id instead of the first one installed for the task type (re-runs compare models). */
  model?: string;
}

export interface SynthesizeOptions extends CallOptions {
  voice?: string;
  /** Receives audio as it is produced, in order (for streaming to the robot). */
  onChunk?: (chunk: { pcm: Int16Array; sampleRate: number; seq: number }) => void;
}

export interface GenerateOptions extends CallOptions {
  /** Receives each piece of text as it is generated. */
  onToken?: (text: string) => void;
}

/** A loaded model of any family: what it is and how to let it go. */
export interface LoadedModel {
  readonly model: InstalledModel;
  readonly executionProvider: ExecutionProvider;
  close(): Promise<void>;
}

export interface Detector extends LoadedModel {
  detect(image: Uint8Array, options?: DetectOptions): Promise<InferenceOutput<DetectionResult>>;
}

export interface Transcriber extends LoadedModel {
  transcribe(audio: AudioInput, options?: CallOptions): Promise<InferenceOutput<TranscriptionResult>>;
}

export interface Synthesizer extends LoadedModel {
  synthesize(text: string, options?: SynthesizeOptions): Promise<InferenceOutput<SpeechResult>>;
}

export interface TextGenerator extends LoadedModel {
  generate(request: GeneratePayload, options?: GenerateOptions): Promise<InferenceOutput<GenerationResult>>;
}

export interface IntentClassifier extends LoadedModel {
  understand(text: string, options?: CallOptions): Promise<InferenceOutput<UnderstandingResult>>;
}

/** Warm models of one worker process; inference runs off the event loop. */
export interface ModelRuntime {
  readonly hardware: Hardware;
  /** The execution provider actually in use (a GPU worker without CUDA runs `cpu`). */
  readonly executionProvider: ExecutionProvider;
  /** Resolves once every installed model has loaded (or, with `serveWhileLoading`, failed to). */
  readonly allLoaded?: Promise<void>;
  /** The models that are warm now. */
  installed(): InstalledModel[];
  /** True when a model that serves `taskType` is installed and warm (or still loading, with `serveWhileLoading`). */
  serves(taskType: TaskType): boolean;
  /** Each throws ModelInputError for unusable input and ModelNotInstalledError without a model for it. */
  detect(image: Uint8Array, options?: DetectOptions): Promise<InferenceOutput<DetectionResult>>;
  transcribe(audio: AudioInput, options?: CallOptions): Promise<InferenceOutput<TranscriptionResult>>;
  synthesize(text: string, options?: SynthesizeOptions): Promise<InferenceOutput<SpeechResult>>;
  generate(request: GeneratePayload, options?: GenerateOptions): Promise<InferenceOutput<GenerationResult>>;
  understand(text: string, options?: CallOptions): Promise<InferenceOutput<UnderstandingResult>>;
  close(): Promise<void>;
}

export interface ModelRuntimeOptions {
  modelDir: string;
  hardware: Hardware;
  /** Asked-for provider; `cuda` falls back to `cpu` with a log line when unavailable. */
  executionProvider: ExecutionProvider;
  /** onnxruntime intra-op threads per session (default 1). */
  intraOpThreads?: number;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  /** Labelled examples for text.nlu (default config/intents.json). */
  intentsFile?: string;
  /** Which provider serves text.generate and how (default: SmolLM2 through llama.cpp when installed). */
  textGeneration?: TextGenerationSettings;
  /**
   * Resolve once the helper models and the first model serving a task type are warm; a call for a
   * model still loading waits for it, and a model that fails to load is logged and its task types
   * answer ModelNotInstalled instead of failing the runtime. Default false: resolve when all are warm.
   */
  serveWhileLoading?: boolean;
}

export class ModelNotInstalledError extends Error {
  constructor(public readonly taskType: TaskType, modelDir: string) {
    super(`model not installed: no model for ${taskType} in ${modelDir} (see "offload models list")`);
    this.name = 'ModelNotInstalledError';
  }
}

/** The input could not be used by the model (corrupt JPEG, wrong audio format...). */
export class ModelInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelInputError';
  }
}

/** A model file on disk does not match the checksum in its manifest. */
export class ModelChecksumError extends Error {
  constructor(
    public readonly file: string,
    public readonly expected: string,
    public readonly actual: string,
  ) {
    super(`model file checksum mismatch: ${file} has sha256 ${actual}, expected ${expected} (re-run "npm run setup" or replace the file)`);
    this.name = 'ModelChecksumError';
  }
}

/** The thread running a model's session failed, crashed or was closed; the model itself may be fine. */
export class SessionThreadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionThreadError';
  }
}
