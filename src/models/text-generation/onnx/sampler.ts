/** Picks the next token from one row of logits: greedy at temperature 0, else nucleus (top-p) sampling. */
export function sampleToken(logits: Float32Array, temperature: number, topP: number, random: () => number = Math.random): number {
  if (logits.length === 0) throw new Error('no logits to sample from');
  if (temperature === 0) return argmax(logits);
  let max = -Infinity;
  for (const value of logits) max = Math.max(max, value);
  const probabilities = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    probabilities[i] = Math.exp((logits[i] - max) / temperature);
    sum += probabilities[i];
  }
  if (topP >= 1) return draw(probabilities, Array.from(probabilities.keys()), random);
  // Tokens below 1e-7 of the mass cannot change the nucleus noticeably; leaving them out keeps the sort short.
  const candidates = Array.from(probabilities.keys()).filter((i) => probabilities[i] >= sum * 1e-7);
  candidates.sort((a, b) => probabilities[b] - probabilities[a]);
  // The smallest set of most likely tokens whose probability reaches top_p.
  const nucleus: number[] = [];
  let mass = 0;
  for (const index of candidates) {
    nucleus.push(index);
    mass += probabilities[index] / sum;
    if (mass >= topP) break;
  }
  return draw(probabilities, nucleus, random);
}

function draw(probabilities: Float64Array, among: number[], random: () => number): number {
  let left = random() * among.reduce((total, index) => total + probabilities[index], 0);
  for (const index of among) {
    left -= probabilities[index];
    if (left <= 0) return index;
  }
  return among[among.length - 1];
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
