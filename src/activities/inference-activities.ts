import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import { LanguageNotSupportedError, ModelInputError, ModelNotInstalledError, type InferenceOutput, type ModelRuntime } from '../models';
import type { DetectionResult } from '../shared/detection';
import { ErrorType } from '../shared/errors';
import type { ModelActivityInput, ModelRun } from '../shared/model-run';
import type { GenerationResult, SpeechResult, TranscriptionResult, UnderstandingResult } from '../shared/model-results';
import type { TaskType } from '../shared/task-types';
import type { AudioStore } from '../voice/audio-store';
import { decodeBase64Field } from './decode-payload';
import { storedAudio, storeSpeech } from './stored-audio';
import { whileHeartbeating } from './heartbeat';

export interface InferenceActivityDeps {
  runtime: ModelRuntime;
  /** Largest decoded payload (image or audio) accepted, in bytes. */
  maxPayloadBytes: number;
  /** Voice-session audio (`audio_ref` in, `store_audio` out); without one such tasks fail as invalid. */
  audioStore?: AudioStore;
  /** Heartbeat as soon as a model activity starts (the path before OFFLOAD_FAST_PATH; default false). */
  heartbeatAtStart?: boolean;
}

/** Activities that run models; one per model family, served on the worker's hardware queue. */
export function createInferenceActivities({ runtime, maxPayloadBytes, audioStore, heartbeatAtStart = false }: InferenceActivityDeps) {
  async function run<R>(taskType: TaskType, infer: (signal: AbortSignal) => Promise<InferenceOutput<R>>): Promise<ModelRun<R>> {
    try {
      if (!runtime.serves(taskType)) throw new ModelNotInstalledError(taskType, `the model directory of this ${runtime.hardware} worker`);
      const output = await whileHeartbeating(() => infer(Context.current().cancellationSignal), heartbeatAtStart);
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
      return run(input.envelope.task_type, (signal) => runtime.detect(image, { signal, model: modelOf(input) }));
    },
    async runAsrModel(input: ModelActivityInput<'voice.asr'>): Promise<ModelRun<TranscriptionResult>> {
      const { payload } = input.envelope;
      return run('voice.asr', async (signal) => {
        const data = payload.audio_ref !== undefined ? await storedAudio(audioStore, payload.audio_ref) : decodeBase64Field(payload.audio_base64, 'payload.audio_base64', maxPayloadBytes);
        const audio = { data, format: payload.format, sampleRate: payload.sample_rate, language: payload.language, prompt: payload.prompt };
        return runtime.transcribe(audio, { signal, model: modelOf(input) });
      });
    },
    async runTtsModel(input: ModelActivityInput<'voice.tts'>): Promise<ModelRun<SpeechResult>> {
      const { text, voice, language, store_audio } = input.envelope.payload;
      return run('voice.tts', async (signal) => {
        const output = await runtime.synthesize(text, { voice, language, signal, model: modelOf(input) });
        return store_audio ? storeSpeech(audioStore, `${input.envelope.task_id}.wav`, output) : output;
      });
    },
    async runTextModel(input: ModelActivityInput<'text.generate'>): Promise<ModelRun<GenerationResult>> {
      return run('text.generate', (signal) => runtime.generate(input.envelope.payload, { signal, model: modelOf(input) }));
    },
    async runNluModel(input: ModelActivityInput<'text.nlu'>): Promise<ModelRun<UnderstandingResult>> {
      const { text, language } = input.envelope.payload;
      return run('text.nlu', (signal) => runtime.understand(text, { language, signal, model: modelOf(input) }));
    },
  };
}

/** A model asked for by id (`meta.model`, set by `offload rerun --model`). */
function modelOf(input: ModelActivityInput): string | undefined {
  return typeof input.envelope.meta.model === 'string' ? input.envelope.meta.model : undefined;
}

export type InferenceActivities = ReturnType<typeof createInferenceActivities>;

function asFailure(err: unknown): ApplicationFailure | CancelledFailure {
  if (err instanceof ApplicationFailure || err instanceof CancelledFailure) return err;
  if (err instanceof ModelInputError) return ApplicationFailure.nonRetryable(err.message, ErrorType.InvalidInput);
  if (err instanceof LanguageNotSupportedError) return ApplicationFailure.nonRetryable(err.message, ErrorType.LanguageNotSupported);
  if (err instanceof ModelNotInstalledError) return ApplicationFailure.nonRetryable(err.message, ErrorType.ModelNotInstalled);
  const message = err instanceof Error ? err.message : String(err);
  return ApplicationFailure.retryable(`inference failed: ${message}`, ErrorType.InferenceFailed);
}
