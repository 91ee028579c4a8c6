import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { createInferenceActivities } from '../src/activities/inference-activities';
import { findRepoRoot } from '../src/models/model-dirs';
import { modelPath } from '../src/models/install/model-files';
import { dbTextRegions } from '../src/models/text-recognition/db-postprocess';
import { PPOCR_V4 } from '../src/models/registry/ppocr-v4';
import { cropQuad, decodeRgb, detectionInput, recognitionInput, REC_HEIGHT } from '../src/models/text-recognition/ocr-image';
import type { DetectionResult } from '../src/shared/detection';
import type { ModelRun } from '../src/shared/model-run';
import { loopLagDuring, median, round, runtimeWith, timeRuns, type ModelBenchPart } from './model-bench';

const SIGN_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360"><rect width="100%" height="100%" fill="white"/>' +
  '<rect x="180" y="60" width="280" height="120" fill="#c00"/><text x="320" y="148" font-family="sans-serif" font-weight="bold" font-size="72" fill="white" text-anchor="middle">STOP</text>' +
  '<text x="320" y="280" font-family="sans-serif" font-size="40" text-anchor="middle">KITCHEN</text></svg>';

/**
 * PP-OCRv4 on a generated two-line sign (640x360) and on bus.jpg: bare det + rec session.run on this
 * thread (inputs prepared beforehand) vs runtime.detect (session threads, pre/post-processing) and
 * runDetectionModel with meta.model "ppocr-v4".
 */
export const benchPpocr: ModelBenchPart = {
  name: 'ppocr',
  manifests: [PPOCR_V4],
  async run({ modelDir, runs, log }) {
    const dir = modelPath(modelDir, PPOCR_V4);
    const sign = await sharp(Buffer.from(SIGN_SVG)).png().toBuffer();
    const bus = await readFile(path.resolve(findRepoRoot(), '../shared/fixtures/images/bus.jpg'));

    const options = { executionProviders: ['cpu'], intraOpNumThreads: 1, graphOptimizationLevel: 'all' as const };
    const det = await ort.InferenceSession.create(path.join(dir, 'ch_PP-OCRv4_det_infer.onnx'), options);
    const rec = await ort.InferenceSession.create(path.join(dir, 'ch_PP-OCRv4_rec_infer.onnx'), options);
    const picture = await decodeRgb(sign);
    const detInput = await detectionInput(picture);
    const detFeeds = () => ({ x: new ort.Tensor('float32', detInput.tensor.slice(), [1, 3, detInput.height, detInput.width]) });
    const map = (await det.run(detFeeds()))[det.outputNames[0]].data as Float32Array;
    const regions = await dbTextRegions(map, detInput.width, detInput.height, picture.width, picture.height);
    const recInput = await recognitionInput(regions.map((region) => cropQuad(picture, region.quad)));
    const recFeeds = () => ({ x: new ort.Tensor('float32', recInput.tensor.slice(), [regions.length, 3, REC_HEIGHT, recInput.width]) });
    const bare = await timeRuns(runs, async () => {
      await det.run(detFeeds());
      await rec.run(recFeeds());
    });
    await det.release();
    await rec.release();
    const bareMs = median(bare.ms);
    log(`bare det + rec session.run (${regions.length} lines): median ${bareMs.toFixed(0)} ms`);

    const { runtime, dispose } = await runtimeWith(modelDir, [PPOCR_V4]);
    try {
      const viaRuntime = await timeRuns(runs, () => runtime.detect(sign, { model: PPOCR_V4.id }));
      const texts = viaRuntime.last.result.boxes.map((box) => box.text);
      log(`runtime.detect (sign): median ${median(viaRuntime.ms).toFixed(0)} ms → ${JSON.stringify(texts)}, timings ${JSON.stringify(viaRuntime.last.timings)}`);

      const activities = createInferenceActivities({ runtime, maxPayloadBytes: 10_000_000 });
      const envelope = { task_id: 'bench-ocr', task_type: 'vision.detection' as const, payload: { image_base64: sign.toString('base64') }, meta: { model: PPOCR_V4.id }, priority: 5 };
      const viaActivity = await timeRuns(runs, () => new MockActivityEnvironment().run(activities.runDetectionModel, { envelope }));
      log(`runDetectionModel activity (sign): median ${median(viaActivity.ms).toFixed(0)} ms, ${(viaActivity.last as ModelRun<DetectionResult>).result.boxes.length} lines`);

      const { value: busRuns, p99Ms: lagP99Ms, maxMs: lagMaxMs } = await loopLagDuring(() => timeRuns(runs, () => runtime.detect(bus, { model: PPOCR_V4.id })));
      log(
        `runtime.detect (bus.jpg): median ${median(busRuns.ms).toFixed(0)} ms, ${busRuns.last.result.boxes.length} lines, timings ${JSON.stringify(busRuns.last.timings)}; ` +
          `event-loop lag meanwhile p99 ${lagP99Ms.toFixed(1)} ms, max ${lagMaxMs.toFixed(1)} ms`,
      );

      return {
        sign_lines: regions.length,
        sign_texts: texts.join(' | '),
        bare_ort_ms: round(bareMs, 1),
        runtime_ms: round(median(viaRuntime.ms), 1),
        runtime_det_ms: round(viaRuntime.last.timings.det_ms, 1),
        runtime_rec_ms: round(viaRuntime.last.timings.rec_ms, 1),
        runtime_over_bare_ratio: round(median(viaRuntime.ms) / bareMs, 2),
        activity_ms: round(median(viaActivity.ms), 1),
        activity_over_bare_ratio: round(median(viaActivity.ms) / bareMs, 2),
        bus_runtime_ms: round(median(busRuns.ms), 1),
        bus_lines: busRuns.last.result.boxes.length,
        bus_event_loop_lag_p99_ms: round(lagP99Ms, 1),
        bus_event_loop_lag_max_ms: round(lagMaxMs, 1),
      };
    } finally {
      await dispose();
    }
  },
};
