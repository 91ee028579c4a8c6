import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DetectionResult } from '../../shared/detection';
import { readLabels } from './labels';
import type { ModelManifest } from '../registry/model-manifest';
import { SessionHost } from '../threads/session-host';
import { startModelSession } from '../runtime/start-model-session';
import type { WireTensors } from '../threads/session-protocol';
import { ModelInputError } from '../registry/model-errors';
import type { DetectOptions, Detector, ExecutionProvider, InferenceOutput, InstalledModel } from '../registry/model-capabilities';
import { decodeYolox, YOLOX_STRIDES } from './decode';
import { classWiseNms } from './nms';
import { letterbox, YOLOX_INPUT_SIZE } from './preprocess';

export interface YoloxDetectorOptions {
  manifest: ModelManifest;
  /** The model's directory (holds the .onnx file and labels.txt). */
  dir: string;
  executionProvider: ExecutionProvider;
  /** onnxruntime intra-op threads (default 1). */
  intraOpThreads?: number;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

const INPUT_NAME = 'images';
const DEFAULT_SCORE_THRESHOLD = 0.3;
const DEFAULT_NMS_THRESHOLD = 0.45;
/** Only the best candidates enter NMS, which is quadratic (torchvision's pre-NMS top-k). */
const MAX_NMS_CANDIDATES = 1000;

function inputTensor(data: Float32Array): WireTensors {
  return { [INPUT_NAME]: { type: 'float32', data, dims: [1, 3, YOLOX_INPUT_SIZE, YOLOX_INPUT_SIZE] } };
}

function threshold(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new ModelInputError(`${name} must be a number between 0 and 1, got ${String(value)}`);
  }
  return value;
}

/** YOLOX object detection: letterbox with sharp, inference in a session thread, decode + class-wise NMS. */
export class YoloxDetector implements Detector {
  private constructor(
    readonly model: InstalledModel,
    private readonly host: SessionHost,
    private readonly labels: string[],
  ) {}

  static async load(options: YoloxDetectorOptions): Promise<YoloxDetector> {
    const { manifest, dir } = options;
    const onnx = manifest.files.find((file) => file.name.endsWith('.onnx'));
    if (!onnx) throw new Error(`${manifest.id}: manifest lists no .onnx file`);
    const labels = await readLabels(path.join(dir, 'labels.txt'));
    const host = await startModelSession(options, onnx.name, () => inputTensor(new Float32Array(3 * YOLOX_INPUT_SIZE * YOLOX_INPUT_SIZE).fill(114)));
    const model: InstalledModel = { id: manifest.id, taskTypes: [...manifest.taskTypes], kind: manifest.kind, dir };
    return new YoloxDetector(model, host, labels);
  }

  get executionProvider(): ExecutionProvider {
    return this.host.executionProvider;
  }

  async detect(image: Uint8Array, options: DetectOptions = {}): Promise<InferenceOutput<DetectionResult>> {
    const scoreThreshold = threshold('scoreThreshold', options.scoreThreshold, DEFAULT_SCORE_THRESHOLD);
    const nmsThreshold = threshold('nmsThreshold', options.nmsThreshold, DEFAULT_NMS_THRESHOLD);
    const started = performance.now();
    const input = await letterbox(image, YOLOX_INPUT_SIZE);
    const preprocessed = performance.now();
    const outputs = await this.host.run(inputTensor(input.tensor));
    const inferred = performance.now();
    const output = outputs[this.host.outputNames[0]];
    if (output?.type !== 'float32') throw new Error(`${this.model.id}: expected a float32 output, got ${output?.type}`);
    const candidates = decodeYolox(output.data as Float32Array, output.dims, {
      inputSize: YOLOX_INPUT_SIZE,
      strides: YOLOX_STRIDES,
      scoreThreshold,
      scale: input.scale,
      width: input.width,
      height: input.height,
    })
      .sort((a, b) => b.score - a.score)
      .slice(0, MAX_NMS_CANDIDATES);
    const boxes = classWiseNms(candidates, nmsThreshold).map(({ classId, score, box }) => ({
      label: this.labels[classId] ?? `class_${classId}`,
      class_id: classId,
      score,
      box,
    }));
    const finished = performance.now();
    return {
      result: { boxes, image: { width: input.width, height: input.height } },
      model: { id: this.model.id, kind: this.model.kind },
      timings: {
        preprocess_ms: preprocessed - started,
        inference_ms: inferred - preprocessed,
        postprocess_ms: finished - inferred,
      },
    };
  }

  close(): Promise<void> {
    return this.host.close();
  }
}
