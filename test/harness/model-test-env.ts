import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findRepoRoot } from '../../src/models/model-dirs';
import { seedModels } from '../../src/models/install/seed-models';

export const REPO_ROOT = findRepoRoot(__dirname);
export const SHARED_MODELS = path.resolve(REPO_ROOT, '../shared/models');
export const FIXTURE_IMAGES = path.resolve(REPO_ROOT, '../shared/fixtures/images');

export function fixture(name: string): Promise<Buffer> {
  return readFile(path.join(FIXTURE_IMAGES, name));
}

/** Temporary directories removed by `removeTempDirs()`. */
const created: string[] = [];

export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `offload-${prefix}-`));
  created.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** A fresh model dir seeded from ../shared/models, as `npm run setup` would make it. */
export async function seededModelDir(): Promise<string> {
  const modelDir = await tempDir('models');
  await seedModels({ modelDir, sourceDirs: [SHARED_MODELS] });
  return modelDir;
}

export interface LogLine {
  message: string;
  fields?: Record<string, unknown>;
}

export function recordingLog(): { lines: LogLine[]; log: (message: string, fields?: Record<string, unknown>) => void } {
  const lines: LogLine[] = [];
  return { lines, log: (message, fields) => lines.push({ message, fields }) };
}
