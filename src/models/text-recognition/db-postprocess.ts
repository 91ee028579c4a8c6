import { yieldToEventLoop } from '../runtime/event-loop-yield';
import { growRect, insideQuad, minAreaRect, rectCorners, type Point, type Quad } from './geometry';

/** PaddleOCR's DBPostProcess settings (tools/infer/utility.py defaults). */
export interface DbOptions {
  /** Pixels whose text probability exceeds this form the text bitmap (det_db_thresh, 0.3). */
  threshold: number;
  /** Regions whose mean probability inside their box is lower are dropped (det_db_box_thresh, 0.6). */
  boxThreshold: number;
  /** How far each box is grown: area × ratio / perimeter (det_db_unclip_ratio, 1.5). */
  unclipRatio: number;
  /** Most regions considered (1000). */
  maxCandidates: number;
}

export const DEFAULT_DB_OPTIONS: DbOptions = { threshold: 0.3, boxThreshold: 0.6, unclipRatio: 1.5, maxCandidates: 1000 };
const MIN_SIZE = 3;
/** Map pixels scanned between yields to the event loop (a few milliseconds of work). */
const PIXELS_PER_SLICE = 65_536;

export interface TextRegion {
  /** Corners in the original image's pixels, clockwise from top-left. */
  quad: Quad;
  /** Mean text probability inside the box before it was grown. */
  score: number;
}

/**
 * DB (differentiable binarization) boxes from a probability map [height, width]: 8-connected regions
 * of the thresholded map (what OpenCV's contours outline), each region's minimum-area rectangle over
 * its pixel centres, scored by the mean probability inside it, grown by the unclip distance, and
 * scaled to the original image. Yields to the event loop every few milliseconds of work.
 */
export async function dbTextRegions(
  probability: Float32Array,
  mapWidth: number,
  mapHeight: number,
  imageWidth: number,
  imageHeight: number,
  options: DbOptions = DEFAULT_DB_OPTIONS,
): Promise<TextRegion[]> {
  const regions: TextRegion[] = [];
  for (const points of (await connectedRegions(probability, mapWidth, mapHeight, options.threshold)).slice(0, options.maxCandidates)) {
    await yieldToEventLoop();
    const rect = minAreaRect(points);
    if (Math.min(rect.width, rect.height) < MIN_SIZE) continue;
    const score = meanInside(probability, mapWidth, mapHeight, rectCorners(rect));
    if (score < options.boxThreshold) continue;
    const area = rect.width * rect.height;
    const perimeter = 2 * (rect.width + rect.height);
    const grown = growRect(rect, (area * options.unclipRatio) / perimeter);
    if (Math.min(grown.width, grown.height) < MIN_SIZE + 2) continue;
    const scaleX = imageWidth / mapWidth;
    const scaleY = imageHeight / mapHeight;
    const quad = rectCorners(grown).map(([x, y]) => [
      clamp(Math.round(x * scaleX), 0, imageWidth),
      clamp(Math.round(y * scaleY), 0, imageHeight),
    ]) as Quad;
    regions.push({ quad, score });
  }
  return regions;
}

const clamp = (value: number, min: number, max: number): number => Math.min(Math.max(value, min), max);

/** Each 8-connected region above `threshold`, as the outermost pixel centres of each of its rows (enough for its convex hull). */
async function connectedRegions(probability: Float32Array, width: number, height: number, threshold: number): Promise<Point[][]> {
  const seen = new Uint8Array(width * height);
  const regions: Point[][] = [];
  const stack: number[] = [];
  let visited = 0;
  for (let start = 0; start < seen.length; start++) {
    if (++visited % PIXELS_PER_SLICE === 0) await yieldToEventLoop();
    if (seen[start] || probability[start] <= threshold) continue;
    seen[start] = 1;
    stack.push(start);
    const rows = new Map<number, [number, number]>();
    while (stack.length > 0) {
      const at = stack.pop() as number;
      if (++visited % PIXELS_PER_SLICE === 0) await yieldToEventLoop();
      const x = at % width;
      const y = (at - x) / width;
      const row = rows.get(y);
      if (!row) rows.set(y, [x, x]);
      else {
        row[0] = Math.min(row[0], x);
        row[1] = Math.max(row[1], x);
      }
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const next = ny * width + nx;
          if (!seen[next] && probability[next] > threshold) {
            seen[next] = 1;
            stack.push(next);
          }
        }
      }
    }
    const points: Point[] = [];
    for (const [y, [left, right]] of rows) points.push([left, y], [right, y]);
    regions.push(points);
  }
  return regions;
}

/** Mean probability of the map's pixels whose centres lie inside the quad (PaddleOCR's box_score_fast). */
function meanInside(probability: Float32Array, width: number, height: number, quad: Quad): number {
  const xs = quad.map((p) => p[0]);
  const ys = quad.map((p) => p[1]);
  const x0 = clamp(Math.floor(Math.min(...xs)), 0, width - 1);
  const x1 = clamp(Math.ceil(Math.max(...xs)), 0, width - 1);
  const y0 = clamp(Math.floor(Math.min(...ys)), 0, height - 1);
  const y1 = clamp(Math.ceil(Math.max(...ys)), 0, height - 1);
  let sum = 0;
  let count = 0;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      if (!insideQuad(quad, [x, y])) continue;
      sum += probability[y * width + x];
      count++;
    }
  }
  return count > 0 ? sum / count : 0;
}
