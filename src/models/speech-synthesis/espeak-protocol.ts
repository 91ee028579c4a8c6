import type { CallReply } from '../threads/call-connection';

/** Messages between `EspeakPhonemizer` and its thread (espeak-thread.ts). */
export interface EspeakThreadInit {
  /** espeak-ng voice, e.g. `en-us`. */
  language: string;
}

export type EspeakRequest = { id: number; clauses: string[] };

/** One IPA string per requested clause. */
export type EspeakReply = CallReply<string[]>;
