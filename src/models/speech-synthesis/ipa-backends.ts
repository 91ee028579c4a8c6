import { phonemize } from 'phonemizer';

/** Text → espeak-ng IPA, one string per line espeak-ng breaks the text into (clause punctuation dropped). */
export type IpaBackend = (text: string) => Promise<string[]>;

/** English: the npm package `phonemizer` (espeak-ng in WebAssembly with its English voices only). */
export function englishBackend(language: string): IpaBackend {
  return (text) => phonemize(text, language);
}

/**
 * Any other espeak-ng language (`pl` for a Piper pl_PL voice): the full espeak-ng of
 * `@echogarden/espeak-ng-emscripten`, whose IPA output separates phonemes with `_` (removed here:
 * the rest is what `phonemizer` gives for English, checked on English text).
 */
export async function espeakNgBackend(language: string): Promise<IpaBackend> {
  const { default: initialize } = await import('@echogarden/espeak-ng-emscripten');
  const espeak = new (await initialize()).eSpeakNGWorker();
  if (espeak.set_voice(language) !== 0) throw new Error(`espeak-ng has no voice "${language}"`);
  return async (text) => {
    const { code, ipa } = espeak.synthesize_ipa(text);
    if (code !== 0) throw new Error(`espeak-ng could not phonemize (code ${code})`);
    return ipa.split('\n').map((line) => line.replace(/_/g, '').trim()).filter(Boolean);
  };
}

/** The IPA backend for an espeak-ng voice (`en-us`, `pl`). */
export async function ipaBackend(language: string): Promise<IpaBackend> {
  return /^en(?:$|-)/i.test(language) ? englishBackend(language) : espeakNgBackend(language);
}
