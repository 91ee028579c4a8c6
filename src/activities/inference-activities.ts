import { ApplicationFailure } from '@temporalio/activity';
import { ModelInputError, ModelNotInstalledError, type InferenceOutput, type ModelRuntime } from '../models/types';
import type { DetectionResult } from '../shared/detection';
import { ErrorType } from '../shared/errors';
import type { ModelActivityInput, ModelRun } from '../shared/model-run';
import type { GenerationResult, SpeechResult, TranscriptionResult, UnderstandingResult } from '../shared/model-results';
import type { TaskType } from '../shared/task-types';
import { decodeBase64Field } from './decode-payload';

export interface InferenceActivityDeps {
  runtime: ModelRuntime;
  /** Largest decoded payload (image or audio) accepted, in bytes. */
  maxPayloadBytes: number;
}

/** Activities that run models; one per model family, served on the worker's hardware queue. */
export function createInferenceActivities({ runtime, maxPayloadBytes }: InferenceActivityDeps) {
  async function run<R>(taskType: TaskType, infer: () => Promise<InferenceOutput<R>>): Promise<ModelRun<R>> {
    if (!runtime.serves(taskType)) throw asFailure(new ModelNotInstalledError(taskType, modelDirOf(runtime)));
    try {
      const output = await infer();
      return {
        result: output.result,
        model: output.model,
        hardware: runtime.hardware,
        execution_provider: runtime.executionProvider,
        timings: output.timings,
      };
    } catch (err) {
      throw asFailure(err);
    }
  }

  return {
    async runDetectionModel(input: ModelActivityInput<'vision.detection' | 'vision.frame'>): Promise<ModelRun<DetectionResult>> {
      const image = decodeBase64Field(input.envelope.payload.image_base64, 'payload.image_base64', maxPayloadBytes);
      return run(input.envelope.task_type, () => runtime.detect(image));
    },
    async runAsrModel(input: ModelActivityInput<'voice.asr'>): Promise<ModelRun<TranscriptionResult>> {
      return run(input.envelope.task_type, notServed(input.envelope.task_type));
    },
    async runTtsModel(input: ModelActivityInput<'voice.tts'>): Promise<ModelRun<SpeechResult>> {
      return run(input.envelope.task_type, notServed(input.envelope.task_type));
    },
    async runTextModel(input: ModelActivityInput<'text.generate'>): Promise<ModelRun<GenerationResult>> {
      return run(input.envelope.task_type, notServed(input.envelope.task_type));
    },
    async runNluModel(input: ModelActivityInput<'text.nlu'>): Promise<ModelRun<UnderstandingResult>> {
      return run(input.envelope.task_type, notServed(input.envelope.task_type));
    },
  };
}

export type InferenceActivities = ReturnType<typeof createInferenceActivities>;

/** The runtime has no inference call for these task types yet; `serves()` keeps them from being reached. */
function notServed<R>(taskType: TaskType): () => Promise<InferenceOutput<R>> {
  return () => Promise.reject(new ModelNotInstalledError(taskType, 'this worker'));
}

function modelDirOf(runtime: ModelRuntime): string {
  return `the model directory of this ${runtime.hardware} worker`;
}

function asFailure(err: unknown): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof ModelInputError) return ApplicationFailure.nonRetryable(err.message, ErrorType.InvalidInput);
  if (err instanceof ModelNotInstalledError) return ApplicationFailure.nonRetryable(err.message, ErrorType.ModelNotInstalled);
  const message = err instanceof Error ? err.message : String(err);
  return ApplicationFailure.retryable(`inference failed: ${message}`, ErrorType.InferenceFailed);
}
