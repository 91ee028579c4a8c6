import type { AudioInput } from '../registry/model-capabilities';
import { ModelInputError } from '../registry/model-errors';
import { resample } from './resample';
import { decodePcmS16le, decodeWav, type DecodedAudio } from './wav';

/** The longest audio one task may carry. */
export const MAX_AUDIO_SECONDS = 60;

/** Decodes a task's audio (WAV, or raw PCM s16le at `sampleRate`) to mono floats at `targetRate`. */
export function decodeAudio(input: AudioInput, targetRate: number): DecodedAudio {
  if (input.data.length === 0) throw new ModelInputError('audio is empty');
  let decoded: DecodedAudio;
  if (input.format === 'wav') {
    decoded = decodeWav(input.data);
  } else if (input.format === 'pcm_s16le') {
    if (!input.sampleRate || input.sampleRate < 1000 || input.sampleRate > 384000) {
      throw new ModelInputError(`raw PCM needs a sample rate between 1000 and 384000 Hz, got ${input.sampleRate}`);
    }
    decoded = { samples: decodePcmS16le(input.data), sampleRate: input.sampleRate };
  } else {
    throw new ModelInputError(`audio format "${String(input.format)}" is not supported (wav or pcm_s16le)`);
  }
  if (decoded.samples.length === 0) throw new ModelInputError('audio has no samples');
  const seconds = decoded.samples.length / decoded.sampleRate;
  if (seconds > MAX_AUDIO_SECONDS) throw new ModelInputError(`audio is ${seconds.toFixed(1)} s long, over the ${MAX_AUDIO_SECONDS} s limit`);
  return { samples: resample(decoded.samples, decoded.sampleRate, targetRate), sampleRate: targetRate };
}
