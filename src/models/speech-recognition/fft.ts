/** A complex FFT of one fixed size (any size: mixed radix over its prime factors, a plain DFT for large primes). */
export interface Fft {
  readonly size: number;
  /** Transforms `re`/`im` (length `size`) into `outRe`/`outIm`. */
  transform(re: Float64Array, im: Float64Array, outRe: Float64Array, outIm: Float64Array): void;
}

function smallestFactor(n: number): number {
  for (let p = 2; p * p <= n; p++) if (n % p === 0) return p;
  return n;
}

/** Recursive decimation in time: split into `p` interleaved sub-sequences, transform each, combine with twiddles. */
export function createFft(size: number): Fft {
  if (!Number.isInteger(size) || size < 1) throw new Error(`FFT size must be a positive integer, got ${size}`);
  const cos = new Float64Array(size);
  const sin = new Float64Array(size);
  for (let k = 0; k < size; k++) {
    cos[k] = Math.cos((-2 * Math.PI * k) / size);
    sin[k] = Math.sin((-2 * Math.PI * k) / size);
  }
  const scratchRe = new Float64Array(size);
  const scratchIm = new Float64Array(size);

  function run(inRe: Float64Array, inIm: Float64Array, offset: number, stride: number, n: number, outRe: Float64Array, outIm: Float64Array, outOffset: number): void {
    if (n === 1) {
      outRe[outOffset] = inRe[offset];
      outIm[outOffset] = inIm[offset];
      return;
    }
    const p = smallestFactor(n);
    const m = n / p;
    for (let r = 0; r < p; r++) run(inRe, inIm, offset + r * stride, stride * p, m, outRe, outIm, outOffset + r * m);
    const step = size / n;
    for (let k = 0; k < m; k++) {
      for (let q = 0; q < p; q++) {
        const bin = k + q * m;
        let sumRe = 0;
        let sumIm = 0;
        for (let r = 0; r < p; r++) {
          const twiddle = ((r * bin) % n) * step;
          const yRe = outRe[outOffset + r * m + k];
          const yIm = outIm[outOffset + r * m + k];
          sumRe += yRe * cos[twiddle] - yIm * sin[twiddle];
          sumIm += yRe * sin[twiddle] + yIm * cos[twiddle];
        }
        scratchRe[outOffset + bin] = sumRe;
        scratchIm[outOffset + bin] = sumIm;
      }
    }
    for (let i = 0; i < n; i++) {
      outRe[outOffset + i] = scratchRe[outOffset + i];
      outIm[outOffset + i] = scratchIm[outOffset + i];
    }
  }

  return {
    size,
    transform(re, im, outRe, outIm) {
      run(re, im, 0, 1, size, outRe, outIm, 0);
    },
  };
}
