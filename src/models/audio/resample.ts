const HALF_WIDTH = 16;

/**
 * Band-limited resampling (windowed sinc, Hann window, 16 zero crossings each side); when
 * downsampling the cutoff follows the target's Nyquist frequency so nothing aliases.
 */
export function resample(samples: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (fromRate === toRate) return samples;
  const ratio = toRate / fromRate;
  const cutoff = Math.min(1, ratio);
  const outLength = Math.max(0, Math.round(samples.length * ratio));
  const out = new Float32Array(outLength);
  const reach = HALF_WIDTH / cutoff;
  for (let i = 0; i < outLength; i++) {
    const center = i / ratio;
    const first = Math.max(0, Math.ceil(center - reach));
    const last = Math.min(samples.length - 1, Math.floor(center + reach));
    let sum = 0;
    let weights = 0;
    for (let j = first; j <= last; j++) {
      const x = (j - center) * cutoff;
      const window = 0.5 + 0.5 * Math.cos((Math.PI * x) / HALF_WIDTH);
      const w = cutoff * sinc(x) * window;
      sum += samples[j] * w;
      weights += w;
    }
    out[i] = weights !== 0 ? sum / weights : 0;
  }
  return out;
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}
