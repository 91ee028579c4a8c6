import type { CallReply } from '../threads/call-connection';

/** Messages between `EspeakSpeech` and its thread (espeak-speech-thread.ts). */
export interface EspeakSpeechInit {
  /** espeak-ng voice, e.g. `pl`. */
  voice: string;
  /** The voice data file (`espeak-ng.data`) in the model's directory. */
  dataFile: string;
  /** Rate the thread resamples espeak-ng's 22.05 kHz output to. */
  sampleRate: number;
}

export type EspeakSpeechRequest = { id: number; text: string };

/** The sentence's audio, mono floats in -1..1 at the init's sample rate. */
export type EspeakSpeechReply = CallReply<Float32Array>;
