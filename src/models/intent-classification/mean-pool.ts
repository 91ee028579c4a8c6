/**
 * Sentence embeddings from a transformer's last hidden state: the mean over the tokens the
 * attention mask keeps, scaled to unit length (sentence-transformers' mean pooling + normalize).
 * `hidden` is [batch, tokens, dim] row-major; `mask` is [batch, tokens].
 */
export function meanPoolNormalized(hidden: Float32Array, mask: ArrayLike<number | bigint>, batch: number, tokens: number, dim: number): Float32Array[] {
  if (hidden.length !== batch * tokens * dim) throw new Error(`hidden state has ${hidden.length} values, expected ${batch}x${tokens}x${dim}`);
  if (mask.length !== batch * tokens) throw new Error(`attention mask has ${mask.length} values, expected ${batch}x${tokens}`);
  const out: Float32Array[] = [];
  for (let b = 0; b < batch; b++) {
    const sum = new Float64Array(dim);
    let count = 0;
    for (let t = 0; t < tokens; t++) {
      if (Number(mask[b * tokens + t]) === 0) continue;
      count++;
      const offset = (b * tokens + t) * dim;
      for (let d = 0; d < dim; d++) sum[d] += hidden[offset + d];
    }
    out.push(normalize(sum.map((value) => value / Math.max(count, 1e-9))));
  }
  return out;
}

/** `vector` scaled to unit L2 length (a zero vector stays zero). */
export function normalize(vector: ArrayLike<number>): Float32Array {
  let squares = 0;
  for (let i = 0; i < vector.length; i++) squares += vector[i] * vector[i];
  const norm = Math.max(Math.sqrt(squares), 1e-12);
  const out = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = vector[i] / norm;
  return out;
}

/** Cosine similarity of two unit vectors. */
export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}
