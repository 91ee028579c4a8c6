import { decodeYolox, YOLOX_STRIDES, type Box } from '../../../../src/models/object-detection/decode';
import { classWiseNms, iou } from '../../../../src/models/object-detection/nms';

const CLASSES = 3;
const WIDTH = 5 + CLASSES;
const CELLS = 52 * 52 + 26 * 26 + 13 * 13;

function emptyOutput(): Float32Array {
  return new Float32Array(CELLS * WIDTH);
}

function setCell(output: Float32Array, row: number, values: number[]): void {
  output.set(values, row * WIDTH);
}

const options = { inputSize: 416, strides: YOLOX_STRIDES, scoreThreshold: 0.3, scale: 0.5, width: 832, height: 600 };

describe('decodeYolox', () => {
  test('decodes grid offsets, log sizes and strides into original-image pixels', () => {
    const output = emptyOutput();
    const row = 52 * 52 + 3 * 26 + 5;
    setCell(output, row, [0.5, 0.25, Math.log(2), Math.log(4), 0.9, 0.1, 0.8, 0.2]);
    const [candidate, ...rest] = decodeYolox(output, [1, CELLS, WIDTH], options);
    expect(rest).toEqual([]);
    expect(candidate.classId).toBe(1);
    expect(candidate.score).toBeCloseTo(0.72);
    const cx = (0.5 + 5) * 16;
    const cy = (0.25 + 3) * 16;
    const expected = [cx - 16, cy - 32, cx + 16, cy + 32].map((value) => value / 0.5);
    candidate.box.forEach((value, index) => expect(value).toBeCloseTo(expected[index], 4));
  });

  test('clips boxes to the image and drops cells under the threshold', () => {
    const output = emptyOutput();
    setCell(output, 0, [0, 0, Math.log(10), Math.log(10), 0.9, 0.9, 0, 0]);
    setCell(output, 1, [0, 0, 0, 0, 0.9, 0.2, 0.2, 0.2]);
    setCell(output, 2, [0, 0, 0, 0, 0.2, 1, 1, 1]);
    setCell(output, CELLS - 1, [0.9, 0.9, Math.log(4), Math.log(4), 0.9, 0, 0, 0.9]);
    const candidates = decodeYolox(output, [1, CELLS, WIDTH], options);
    expect(candidates.map((candidate) => candidate.classId)).toEqual([0, 2]);
    expect(candidates[0].box.slice(0, 2)).toEqual([0, 0]);
    expect(candidates[1].box[2]).toBe(832);
    expect(candidates[1].box[3]).toBe(600);
  });

  test('refuses an output of the wrong shape', () => {
    expect(() => decodeYolox(new Float32Array(10 * WIDTH), [1, 10, WIDTH], options)).toThrow(
      'unexpected YOLOX output shape [1, 10, 8]: expected [1, 3549, 5 + classes]',
    );
  });
});

describe('classWiseNms', () => {
  const box = (x: number, y: number, size = 10): Box => [x, y, x + size, y + size];

  test('iou of identical, disjoint and half-overlapping boxes', () => {
    expect(iou(box(0, 0), box(0, 0))).toBe(1);
    expect(iou(box(0, 0), box(20, 20))).toBe(0);
    expect(iou(box(0, 0), box(5, 0))).toBeCloseTo(50 / 150);
  });

  test('suppresses overlapping boxes of the same class only, best first', () => {
    const kept = classWiseNms(
      [
        { classId: 0, score: 0.6, box: box(1, 0) },
        { classId: 0, score: 0.9, box: box(0, 0) },
        { classId: 1, score: 0.7, box: box(0, 0) },
        { classId: 0, score: 0.5, box: box(50, 50) },
      ],
      0.45,
    );
    expect(kept.map(({ classId, score }) => [classId, score])).toEqual([
      [0, 0.9],
      [1, 0.7],
      [0, 0.5],
    ]);
  });
});
