import { cpSync, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '..', '..');

/** The image every row of the side-by-side bench detects objects in. */
export const IMAGE = resolve(REPO_ROOT, '..', 'shared', 'fixtures', 'images', 'dog_320x240.jpg');

/** onnxruntime intra-op threads of the YOLOX session, the same in every row. */
export const INTRA_OP_THREADS = 1;

/** How much each row of the side-by-side bench runs. */
export interface SideBySideSettings {
  warmupRuns: number;
  /** Sequential jobs timed one by one. */
  latencyRuns: number;
  /** Length of the closed-loop throughput run. */
  throughputMs: number;
  /** Jobs in flight during the throughput run, and worker slots. */
  concurrency: number;
  noopWorkflows: number;
  noopConcurrency: number;
}

/** The YOLOX-nano model folder (yolox_nano.onnx + labels.txt) the bench runs. */
export function yoloxSourceDir(): string {
  const cacheDir = process.env.OFFLOAD_CACHE_DIR ?? join(homedir(), '.cache', 'offload');
  const candidates = [join(cacheDir, 'test-models', 'yolox-nano'), join(REPO_ROOT, 'models', 'yolox-nano')];
  const found = candidates.find((dir) => existsSync(join(dir, 'yolox_nano.onnx')) && existsSync(join(dir, 'labels.txt')));
  if (!found) throw new Error(`YOLOX-nano not found in ${candidates.join(' or ')}; run node dist/src/main/setup.js`);
  return found;
}

/** Copies the YOLOX-nano folder into `<dataDir>/models/yolox-nano`; the model dir to hand createModelRuntime. */
export function yoloxOnlyModelDir(sourceModelDir: string, dataDir: string): string {
  const modelDir = join(dataDir, 'models');
  cpSync(sourceModelDir, join(modelDir, 'yolox-nano'), { recursive: true });
  return modelDir;
}
