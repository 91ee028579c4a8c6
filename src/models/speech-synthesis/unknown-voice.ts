import { ModelInputError } from '../registry/model-errors';
import type { SpokenVoice, VoiceRequest } from './voice-fit';

/** The error for a request a voice cannot serve: what was asked for, and what this voice is called and speaks. */
export function unknownVoiceError(request: VoiceRequest, voice: string, spoken: SpokenVoice): ModelInputError {
  const asked = [request.voice && `voice "${request.voice}"`, request.language && `language "${request.language}"`].filter(Boolean).join(' in ');
  return new ModelInputError(`unknown ${asked}: this worker speaks with ${voice} (language ${spoken.language}; also called ${[...spoken.names].join(', ')})`);
}
