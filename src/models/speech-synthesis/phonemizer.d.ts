/** The npm package `phonemizer` (espeak-ng in WebAssembly); its own typings are reachable only through package exports. */
declare module 'phonemizer' {
  /** IPA for `text`, one string per clause espeak-ng found (punctuation dropped). */
  export function phonemize(text: string, language?: string): Promise<string[]>;
}
