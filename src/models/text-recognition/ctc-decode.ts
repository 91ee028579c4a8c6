export interface DecodedText {
  text: string;
  /** Mean probability of the characters kept (0 when none). */
  confidence: number;
}

/**
 * CTC greedy decoding of one line (PaddleOCR's CTCLabelDecode): the best class at each time step,
 * repeats merged, blanks (class 0) dropped; class i is `keys[i - 1]`, and the class after the last
 * key is a space (use_space_char).
 */
export function ctcGreedyDecode(probabilities: Float32Array, steps: number, classes: number, keys: readonly string[]): DecodedText {
  let text = '';
  let sum = 0;
  let kept = 0;
  let previous = -1;
  for (let t = 0; t < steps; t++) {
    const row = t * classes;
    let best = 0;
    for (let c = 1; c < classes; c++) if (probabilities[row + c] > probabilities[row + best]) best = c;
    if (best !== 0 && best !== previous) {
      text += best - 1 < keys.length ? keys[best - 1] : ' ';
      sum += probabilities[row + best];
      kept++;
    }
    previous = best;
  }
  return { text, confidence: kept > 0 ? sum / kept : 0 };
}
