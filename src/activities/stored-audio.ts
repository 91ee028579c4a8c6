import { ApplicationFailure } from '@temporalio/activity';
import type { InferenceOutput } from '../models';
import type { SpeechResult } from '../shared/model-results';
import { ErrorType } from '../shared/errors';
import { AudioNotFoundError, type AudioStore } from '../voice/audio-store';

/** A voice-session utterance from the AudioStore; a missing one fails without retries (it will not appear). */
export async function storedAudio(store: AudioStore | undefined, ref: string): Promise<Buffer> {
  if (!store) throw noStore();
  try {
    return await store.get(ref);
  } catch (err) {
    if (err instanceof AudioNotFoundError) throw ApplicationFailure.nonRetryable(`payload.audio_ref: ${err.message}`, ErrorType.InvalidInput);
    throw err;
  }
}

/** Moves synthesized audio into the AudioStore: the result (and so the history) carries only its reference. */
export async function storeSpeech(store: AudioStore | undefined, key: string, output: InferenceOutput<SpeechResult>): Promise<InferenceOutput<SpeechResult>> {
  if (!store) throw noStore();
  const audio_ref = await store.put(key, Buffer.from(output.result.audio_base64, 'base64'));
  return { ...output, result: { ...output.result, audio_base64: '', audio_ref } };
}

function noStore(): ApplicationFailure {
  return ApplicationFailure.nonRetryable('this worker has no voice AudioStore (OFFLOAD_VOICE_AUDIO_DIR): it cannot serve voice-session turns', ErrorType.InvalidInput);
}
