import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import { ownCpuMs } from './process-cpu';
import { letterbox, YOLOX_INPUT_SIZE } from '../src/models/object-detection/preprocess';

/** What the parent asks of the bare loop (sent as argv[2], JSON). */
export interface BareLoopRequest {
  modelPath: string;
  imagePath: string;
  /** onnxruntime intra-op threads, as the Offload session thread gets them. */
  intraOpThreads: number;
  warmupRuns: number;
  /** Sequential letterbox + run() calls timed one by one. */
  latencyRuns: number;
  /** Closed-loop lanes sharing the one session, and how long they run. */
  throughputConcurrency: number;
  throughputMs: number;
}

/** What the bare loop reports back on stdout (one JSON line). */
export interface BareLoopReport {
  latenciesMs: number[];
  throughputCompleted: number;
  throughputElapsedMs: number;
  /** CPU time (all threads) this process used during the throughput run. */
  throughputCpuMs: number;
}

/**
 * A bare onnxruntime-node loop on YOLOX-nano with Offload's own preprocessing (letterbox of the
 * JPEG), on this child process's main thread, where onnxruntime runs reliably.
 */
async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? '') as BareLoopRequest;
  const image = new Uint8Array(readFileSync(request.imagePath));
  const session = await ort.InferenceSession.create(request.modelPath, {
    executionProviders: ['cpu'],
    intraOpNumThreads: request.intraOpThreads,
    graphOptimizationLevel: 'all',
  });
  const inputName = session.inputNames[0];
  const once = async (): Promise<void> => {
    const { tensor } = await letterbox(image, YOLOX_INPUT_SIZE);
    await session.run({ [inputName]: new ort.Tensor('float32', tensor, [1, 3, YOLOX_INPUT_SIZE, YOLOX_INPUT_SIZE]) });
  };
  for (let run = 0; run < request.warmupRuns; run++) await once();

  const latenciesMs: number[] = [];
  for (let run = 0; run < request.latencyRuns; run++) {
    const started = performance.now();
    await once();
    latenciesMs.push(performance.now() - started);
  }

  let completed = 0;
  const cpuBefore = ownCpuMs();
  const started = performance.now();
  const until = started + request.throughputMs;
  const lane = async (): Promise<void> => {
    while (performance.now() < until) {
      await once();
      completed++;
    }
  };
  await Promise.all(Array.from({ length: request.throughputConcurrency }, lane));
  const report: BareLoopReport = {
    latenciesMs,
    throughputCompleted: completed,
    throughputElapsedMs: performance.now() - started,
    throughputCpuMs: ownCpuMs() - cpuBefore,
  };
  await session.release();
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(`bare yolox loop failed: ${err instanceof Error ? err.stack : err}`);
    process.exit(1);
  });
}
