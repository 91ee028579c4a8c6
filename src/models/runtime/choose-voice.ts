import type { Synthesizer, SynthesizeOptions } from '../registry/model-capabilities';
import { ModelNotInstalledError } from '../registry/model-errors';
import { bestVoice } from '../speech-synthesis/voice-fit';

/**
 * The voice a speech task is spoken with, among the installed ones in manifest order: the one the
 * request names, else the first of the request's language (an imported Piper `pl_PL-*` voice before
 * espeak-ng's), else, when the request names neither, the first voice (English Piper). No voice
 * for it is ModelNotInstalled: another worker may have one, else the robot speaks for itself.
 */
export function chooseVoice(voices: readonly Synthesizer[], request: SynthesizeOptions, modelDir: string): Synthesizer {
  const best = bestVoice(voices.map((voice) => voice.voiceFit(request)));
  if (best >= 0) return voices[best];
  const asked = [request.voice && `voice "${request.voice}"`, request.language && `language "${request.language}"`].filter(Boolean).join(' in ') || 'default voice';
  throw new ModelNotInstalledError('voice.tts', `${modelDir} (unknown ${asked}: installed voices ${voices.map((voice) => voice.model.id).join(', ') || 'none'})`);
}
