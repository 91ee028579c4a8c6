/** A transcript's words for scoring: Unicode NFC, lower case, apostrophes dropped, split on anything but letters and digits. */
export function scoringWords(text: string): string[] {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/['’]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
}

export interface WordErrors {
  /** Substitutions + deletions + insertions: the word-level Levenshtein distance. */
  errors: number;
  /** Words in the reference. */
  words: number;
}

/** The fewest word substitutions, deletions and insertions turning `reference` into `hypothesis`, after scoringWords. */
export function wordErrors(reference: string, hypothesis: string): WordErrors {
  const ref = scoringWords(reference);
  const hyp = scoringWords(hypothesis);
  let previous = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const current = [i];
    for (let j = 1; j <= hyp.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref[i - 1] === hyp[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return { errors: previous[hyp.length], words: ref.length };
}

/**
 * Word error rate over a corpus: all errors over all reference words (one pair gives its own WER).
 * With no reference words it is 0 when nothing was heard either, else Infinity.
 */
export function wordErrorRate(pairs: readonly { reference: string; hypothesis: string }[]): number {
  const total = pairs.map((pair) => wordErrors(pair.reference, pair.hypothesis)).reduce((sum, e) => ({ errors: sum.errors + e.errors, words: sum.words + e.words }), { errors: 0, words: 0 });
  if (total.words === 0) return total.errors === 0 ? 0 : Infinity;
  return total.errors / total.words;
}
