import type { DetectionResult } from '../../shared/detection';
import type { GenerationResult, SpeechResult, TranscriptionResult, UnderstandingResult } from '../../shared/model-results';
import type { GeneratePayload } from '../../shared/task';
import type { TaskType } from '../../shared/task-types';
import type { VoiceFit, VoiceRequest } from '../speech-synthesis/voice-fit';
import type { ModelKind } from './model-manifest';

export type ExecutionProvider = 'cpu' | 'cuda';

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
  /** Text the speech likely continues or words it likely holds (Whisper's initial prompt, OpenAI's `prompt`). */
  prompt?: string;
}

/** Per call: cancellation (the activity's signal) and streaming callbacks. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Run this model id instead of the first one installed for the task type (re-runs compare models). */
  model?: string;
}

export interface SynthesizeOptions extends CallOptions, VoiceRequest {
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
  /** How well this voice serves a request's `voice` and `language` (the runtime speaks with the best fit). */
  voiceFit(request: VoiceRequest): VoiceFit;
  synthesize(text: string, options?: SynthesizeOptions): Promise<InferenceOutput<SpeechResult>>;
}

export interface TextGenerator extends LoadedModel {
  /** The languages it can answer in (ISO 639-1); unset: any (a server the user configured). */
  readonly languages?: readonly string[] | 'multilingual';
  generate(request: GeneratePayload, options?: GenerateOptions): Promise<InferenceOutput<GenerationResult>>;
}

export interface UnderstandOptions extends CallOptions {
  /** The utterance's language (`en` default, `pl`); another is a LanguageNotSupportedError. */
  language?: string;
}

export interface IntentClassifier extends LoadedModel {
  understand(text: string, options?: UnderstandOptions): Promise<InferenceOutput<UnderstandingResult>>;
}

/** What a loaded model can be asked to do, one interface per capability. */
export interface Capabilities {
  detector: Detector;
  transcriber: Transcriber;
  synthesizer: Synthesizer;
  textGenerator: TextGenerator;
  intentClassifier: IntentClassifier;
}

export type Capability = keyof Capabilities;

/** The capability that serves each task type. */
export const TASK_CAPABILITY = {
  'vision.detection': 'detector',
  'vision.frame': 'detector',
  'voice.asr': 'transcriber',
  'voice.tts': 'synthesizer',
  'text.generate': 'textGenerator',
  'text.nlu': 'intentClassifier',
} as const satisfies Record<TaskType, Capability>;

/** The model a task type is served by: `ModelFor<'vision.detection'>` is a `Detector`. */
export type ModelFor<T extends TaskType> = Capabilities[(typeof TASK_CAPABILITY)[T]];
