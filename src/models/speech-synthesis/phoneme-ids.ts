import type { PiperVoiceConfig } from './voice-config';

const PAD = '_';
const BOS = '^';
const EOS = '$';

export interface PhonemeIds {
  ids: number[];
  /** Phonemes the voice has no id for (skipped, as Piper does). */
  missing: string[];
}

/**
 * Piper's phonemes → ids: the IPA string is NFD-decomposed into code points, each looked up in the
 * voice's `phoneme_id_map`; BOS `^` starts the sequence, a pad `_` follows BOS and every phoneme, and
 * EOS `$` ends it (piper-phonemize `phonemes_to_ids` with interspersePad, addBos, addEos).
 */
export function phonemeIds(phonemes: string, config: Pick<PiperVoiceConfig, 'phoneme_id_map' | 'phoneme_map'>): PhonemeIds {
  const map = config.phoneme_id_map;
  const ids: number[] = [...map[BOS], ...map[PAD]];
  const missing: string[] = [];
  for (const codePoint of phonemes.normalize('NFD')) {
    for (const phoneme of config.phoneme_map[codePoint] ?? [codePoint]) {
      const mapped = map[phoneme];
      if (!mapped) {
        missing.push(phoneme);
        continue;
      }
      ids.push(...mapped, ...map[PAD]);
    }
  }
  ids.push(...map[EOS]);
  return { ids, missing };
}
