/** Messages between `EspeakPhonemizer` and its thread (espeak-thread.ts). */
export interface EspeakThreadInit {
  /** espeak-ng voice, e.g. `en-us`. */
  language: string;
}

export type EspeakRequest = { id: number; clauses: string[] };

export type EspeakReply =
  | { kind: 'ready' }
  | { kind: 'init-failed'; message: string }
  /** One IPA string per requested clause. */
  | { kind: 'result'; id: number; phonemes: string[] }
  | { kind: 'failed'; id: number; message: string };
