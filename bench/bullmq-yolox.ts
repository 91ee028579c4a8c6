import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { createModelRuntime } from '../src/models';
import type { DetectionResult } from '../src/shared/detection';
import { startRedisServer, type RedisServer } from '../test/harness/redis-server';
import { runClosedLoop, timeSequential, type ClosedLoopRun } from './closed-loop';
import { startCpuMeter } from './process-cpu';
import { IMAGE, INTRA_OP_THREADS, yoloxOnlyModelDir, type SideBySideSettings } from './yolox-job';

/** What a BullMQ job carries: the same JPEG as Offload's vision.detection payload. */
interface DetectionJob {
  image_base64: string;
}

/** What the processor returns: the detection and the model's own stage timings, as Offload's activity does. */
interface DetectionJobResult {
  result: DetectionResult;
  timings?: Record<string, number>;
}

export interface BullmqFigures {
  latenciesMs: number[];
  /**
   * Per sequential job (ms, Date.now() resolution): queued (add → a worker took it: job.timestamp →
   * processedOn), processing (processedOn → finishedOn), notified (finishedOn → waitUntilFinished
   * resolved) and the model's own stages from the processor.
   */
  stageMs: Record<string, number[]>;
  throughput: ClosedLoopRun;
  /** CPU time used during the throughput run by this process (producer, worker, model session thread) and by redis-server. */
  cpuMs: { process: number; redis: number };
}

/** The BullMQ row, or why it was skipped (no redis-server to be had). */
export type BullmqOutcome = { figures: BullmqFigures } | { skipped: string };

const QUEUE = 'yolox-nano';

/**
 * The YOLOX-nano job through BullMQ on a local redis-server: a Queue, QueueEvents and a Worker
 * (concurrency = the bench's) in this process, whose processor runs the same model runtime as
 * Offload's inference worker; the producer waits for each job's result (job.waitUntilFinished).
 */
export async function runThroughBullmq(sourceModelDir: string, settings: SideBySideSettings): Promise<BullmqOutcome> {
  let redis: RedisServer;
  try {
    redis = await startRedisServer({
      log: (line) => {
        if (line.includes('apt-get')) console.log(line);
      },
    });
  } catch (err) {
    return { skipped: err instanceof Error ? err.message : String(err) };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'offload-bench-bullmq-'));
  const stops: Array<() => Promise<unknown>> = [() => redis.stop()];
  try {
    const runtime = await createModelRuntime({ modelDir: yoloxOnlyModelDir(sourceModelDir, dataDir), hardware: 'cpu', executionProvider: 'cpu', intraOpThreads: INTRA_OP_THREADS });
    stops.unshift(() => runtime.close());
    const connection = { host: redis.host, port: redis.port, maxRetriesPerRequest: null };
    const worker = new Worker<DetectionJob, DetectionJobResult>(
      QUEUE,
      async (job) => {
        const { result, timings } = await runtime.detect(Buffer.from(job.data.image_base64, 'base64'));
        return { result, timings };
      },
      { connection, concurrency: settings.concurrency },
    );
    worker.on('error', (err) => console.error(`bullmq worker: ${err.message}`));
    stops.unshift(() => worker.close());
    const queue = new Queue<DetectionJob, DetectionJobResult>(QUEUE, { connection });
    stops.unshift(() => queue.close());
    const events = new QueueEvents(QUEUE, { connection });
    stops.unshift(() => events.close());
    await Promise.all([worker.waitUntilReady(), queue.waitUntilReady(), events.waitUntilReady()]);

    const data: DetectionJob = { image_base64: readFileSync(IMAGE).toString('base64') };
    const detect = async (): Promise<DetectionJobResult> => (await queue.add('detect', data)).waitUntilFinished(events, 60_000);
    for (let run = 0; run < settings.warmupRuns; run++) expectBoxes(await detect());

    console.log(`bullmq: ${settings.latencyRuns} sequential jobs...`);
    const finished: Array<{ id: string; resolvedAt: number; timings: Record<string, number> }> = [];
    const latenciesMs = await timeSequential(settings.latencyRuns, async () => {
      const job = await queue.add('detect', data);
      const { timings } = await job.waitUntilFinished(events, 60_000);
      finished.push({ id: String(job.id), resolvedAt: Date.now(), timings: timings ?? {} });
    });
    const stageMs = await jobStages(queue, finished);

    console.log(`bullmq: ${settings.throughputMs / 1000} s at concurrency ${settings.concurrency}...`);
    const cpu = startCpuMeter(redis.pid);
    const throughput = await runClosedLoop(settings.concurrency, settings.throughputMs, () => detect().then(() => true, () => false));
    const { workers, server } = cpu.read();
    return { figures: { latenciesMs, stageMs, throughput, cpuMs: { process: workers, redis: server } } };
  } finally {
    for (const stop of stops) await stop().catch((err: unknown) => console.error(`stopping: ${err instanceof Error ? err.message : err}`));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Where each finished job's time went, from the timestamps BullMQ keeps on it (see BullmqFigures.stageMs). */
async function jobStages(queue: Queue<DetectionJob, DetectionJobResult>, finished: Array<{ id: string; resolvedAt: number; timings: Record<string, number> }>): Promise<Record<string, number[]>> {
  const stageMs: Record<string, number[]> = {};
  const add = (name: string, value: number) => (stageMs[name] ??= []).push(value);
  for (const { id, resolvedAt, timings } of finished) {
    const job = await queue.getJob(id);
    if (job?.processedOn === undefined || job.finishedOn === undefined) continue;
    add('queued_ms', job.processedOn - job.timestamp);
    add('processing_ms', job.finishedOn - job.processedOn);
    add('notified_ms', resolvedAt - job.finishedOn);
    for (const [name, value] of Object.entries(timings)) add(name, value);
  }
  return stageMs;
}

function expectBoxes(output: DetectionJobResult): void {
  if (!Array.isArray(output?.result?.boxes)) throw new Error(`a BullMQ detection job returned ${JSON.stringify(output)}, not a detection result`);
}
