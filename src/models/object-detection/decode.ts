export type Box = [number, number, number, number];

export interface Candidate {
  classId: number;
  score: number;
  /** [x1, y1, x2, y2] in original image pixels. */
  box: Box;
}

export interface DecodeOptions {
  inputSize: number;
  strides: readonly number[];
  scoreThreshold: number;
  /** Input pixels per original pixel (from the letterbox). */
  scale: number;
  width: number;
  height: number;
}

export const YOLOX_STRIDES: readonly number[] = [8, 16, 32];

const clip = (value: number, max: number): number => Math.min(Math.max(value, 0), max);

/** Turns YOLOX's [1, cells, 5 + classes] grid output into boxes in image pixels: each cell's best class, kept when objectness x class score reaches the threshold. */
export function decodeYolox(output: Float32Array, dims: readonly number[], options: DecodeOptions): Candidate[] {
  const grids = options.strides.map((stride) => ({ stride, side: Math.floor(options.inputSize / stride) }));
  const cells = grids.reduce((sum, { side }) => sum + side * side, 0);
  const [batch, rows, width] = dims;
  if (dims.length !== 3 || batch !== 1 || rows !== cells || width <= 5 || output.length !== rows * width) {
    throw new Error(`unexpected YOLOX output shape [${dims.join(', ')}]: expected [1, ${cells}, 5 + classes]`);
  }
  const candidates: Candidate[] = [];
  let row = 0;
  for (const { stride, side } of grids) {
    for (let gy = 0; gy < side; gy++) {
      for (let gx = 0; gx < side; gx++, row++) {
        const at = row * width;
        const objectness = output[at + 4];
        if (objectness < options.scoreThreshold) continue;
        let classId = 0;
        for (let other = 1; other < width - 5; other++) {
          if (output[at + 5 + other] > output[at + 5 + classId]) classId = other;
        }
        const score = objectness * output[at + 5 + classId];
        if (score < options.scoreThreshold) continue;
        const cx = (output[at] + gx) * stride;
        const cy = (output[at + 1] + gy) * stride;
        const halfW = (Math.exp(output[at + 2]) * stride) / 2;
        const halfH = (Math.exp(output[at + 3]) * stride) / 2;
        candidates.push({
          classId,
          score,
          box: [
            clip((cx - halfW) / options.scale, options.width),
            clip((cy - halfH) / options.scale, options.height),
            clip((cx + halfW) / options.scale, options.width),
            clip((cy + halfH) / options.scale, options.height),
          ],
        });
      }
    }
  }
  return candidates;
}
