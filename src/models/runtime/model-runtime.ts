import type { DetectionResult } from '../../shared/detection';
import type { GenerationResult, SpeechResult, TranscriptionResult, UnderstandingResult } from '../../shared/model-results';
import type { GeneratePayload } from '../../shared/task';
import type { Hardware, TaskType } from '../../shared/task-types';
import type { AudioInput, CallOptions, DetectOptions, ExecutionProvider, GenerateOptions, InferenceOutput, InstalledModel, SynthesizeOptions, UnderstandOptions } from '../registry/model-capabilities';
import type { TextGenerationSettings } from '../text-generation/text-generation-settings';

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
  understand(text: string, options?: UnderstandOptions): Promise<InferenceOutput<UnderstandingResult>>;
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
  /**
   * The language of `voice.asr` tasks that name none (the robot's, `OFFLOAD_ROBOT_LANGUAGE`): with a
   * task's own, it picks the model (see modelForLanguage) and is the language transcribed. Unset and
   * not in the task: the first model installed, a multilingual one detecting the language.
   */
  language?: string;
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
