import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DetectionBox, DetectionResult } from '../../shared/detection';
import type { LoadContext } from '../runtime/load-context';
import { SessionHost } from '../threads/session-host';
import { startModelSession } from '../runtime/start-model-session';
import type { WireTensors } from '../threads/session-protocol';
import type { DetectOptions, Detector, ExecutionProvider, InferenceOutput, InstalledModel } from '../registry/model-capabilities';
import { ctcGreedyDecode } from './ctc-decode';
import { dbTextRegions, DEFAULT_DB_OPTIONS, type TextRegion } from './db-postprocess';
import { yieldToEventLoop } from '../runtime/event-loop-yield';
import { cropQuad, decodeRgb, detectionInput, recognitionInput, REC_HEIGHT, REC_MIN_WIDTH, type RgbImage } from './ocr-image';

const DET_FILE = 'ch_PP-OCRv4_det_infer.onnx';
const REC_FILE = 'ch_PP-OCRv4_rec_infer.onnx';
const KEYS_FILE = 'ppocr_keys_v1.txt';
/** Lines read with less confidence are dropped (PaddleOCR's drop_score). */
const DEFAULT_DROP_SCORE = 0.5;
/** Most lines recognised per image (the best-scored regions). */
const MAX_LINES = 64;
/** Lines recognised per rec run. */
const REC_BATCH = 8;

const image = (data: Float32Array, dims: number[]): WireTensors => ({ x: { type: 'float32', data, dims } });

/** Reading order: top to bottom, left to right within a line (PaddleOCR's sorted_boxes). */
function readingOrder(a: TextRegion, b: TextRegion): number {
  const dy = a.quad[0][1] - b.quad[0][1];
  return Math.abs(dy) < 10 ? a.quad[0][0] - b.quad[0][0] : dy;
}

/**
 * PaddleOCR PP-OCRv4: DB text detection, then each region cropped upright and read by the SVTR
 * recogniser with CTC decoding. Both sessions run in worker threads. As a Detector it answers
 * vision.detection with one box per line of text: label `text`, `text` the line, `score` the
 * recogniser's confidence.
 */
export class PpOcrReader implements Detector {
  private constructor(
    readonly model: InstalledModel,
    private readonly det: SessionHost,
    private readonly rec: SessionHost,
    private readonly keys: string[],
  ) {}

  static async load(context: LoadContext): Promise<PpOcrReader> {
    const { manifest, dir } = context;
    const keys = (await readFile(path.join(dir, KEYS_FILE), 'utf8')).split(/\r?\n/);
    if (keys[keys.length - 1] === '') keys.pop();
    const start = (file: string, warmupFeeds: () => WireTensors): Promise<SessionHost> =>
      startModelSession(context, file, warmupFeeds, `${manifest.id}/${file}`);
    const det = await start(DET_FILE, () => image(new Float32Array(3 * 64 * 64), [1, 3, 64, 64]));
    try {
      const rec = await start(REC_FILE, () => image(new Float32Array(3 * REC_HEIGHT * REC_MIN_WIDTH), [1, 3, REC_HEIGHT, REC_MIN_WIDTH]));
      return new PpOcrReader({ id: manifest.id, taskTypes: [...manifest.taskTypes], kind: manifest.kind, dir }, det, rec, keys);
    } catch (error) {
      await det.close();
      throw error;
    }
  }

  get executionProvider(): ExecutionProvider {
    return this.det.executionProvider;
  }

  /** `scoreThreshold` is the minimum recognition confidence kept (default 0.5). */
  async detect(bytes: Uint8Array, options: DetectOptions = {}): Promise<InferenceOutput<DetectionResult>> {
    const dropScore = options.scoreThreshold ?? DEFAULT_DROP_SCORE;
    const started = performance.now();
    const picture = await decodeRgb(bytes);
    const input = await detectionInput(picture);
    const preprocessed = performance.now();
    const detOut = await this.det.run(image(input.tensor, [1, 3, input.height, input.width]));
    const detected = performance.now();
    const map = detOut[this.det.outputNames[0]];
    const regions = (await dbTextRegions(map.data as Float32Array, input.width, input.height, picture.width, picture.height, DEFAULT_DB_OPTIONS))
      .sort((a, b) => b.score - a.score)
      .slice(0, MAX_LINES)
      .sort(readingOrder);
    const crops: RgbImage[] = [];
    for (const region of regions) {
      crops.push(cropQuad(picture, region.quad));
      await yieldToEventLoop();
    }
    const cropped = performance.now();
    let recMs = 0;
    const boxes: DetectionBox[] = [];
    for (let from = 0; from < regions.length; from += REC_BATCH) {
      options.signal?.throwIfAborted();
      const batch = crops.slice(from, from + REC_BATCH);
      const { tensor, width } = await recognitionInput(batch);
      const recStarted = performance.now();
      const recOut = await this.rec.run(image(tensor, [batch.length, 3, REC_HEIGHT, width]));
      recMs += performance.now() - recStarted;
      const output = recOut[this.rec.outputNames[0]];
      const [, steps, classes] = output.dims;
      const probabilities = output.data as Float32Array;
      for (let index = 0; index < batch.length; index++) {
        if (index > 0) await yieldToEventLoop();
        const line = ctcGreedyDecode(probabilities.subarray(index * steps * classes, (index + 1) * steps * classes), steps, classes, this.keys);
        const region = regions[from + index];
        if (line.confidence < dropScore || line.text.trim() === '') continue;
        const xs = region.quad.map((p) => p[0]);
        const ys = region.quad.map((p) => p[1]);
        boxes.push({
          label: 'text',
          class_id: 0,
          score: line.confidence,
          box: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
          text: line.text,
          quad: region.quad.map(([x, y]) => [x, y]),
        });
      }
    }
    const finished = performance.now();
    return {
      result: { boxes, image: { width: picture.width, height: picture.height } },
      model: { id: this.model.id, kind: this.model.kind },
      timings: {
        preprocess_ms: preprocessed - started,
        inference_ms: detected - preprocessed + recMs,
        postprocess_ms: finished - detected - recMs,
        det_ms: detected - preprocessed,
        rec_ms: recMs,
        text_regions: regions.length,
        crop_ms: cropped - detected,
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all([this.det.close(), this.rec.close()]);
  }
}
