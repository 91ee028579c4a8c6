import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ModelManifest } from './registry/model-manifest';
import { ModelChecksumError } from './registry/model-errors';

export function modelPath(modelDir: string, manifest: ModelManifest): string {
  return path.join(modelDir, manifest.id);
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/** Names of the manifest's files absent from `dir`; empty when the model is installed there. */
export async function missingFiles(dir: string, manifest: ModelManifest): Promise<string[]> {
  const present = await Promise.all(manifest.files.map((file) => exists(path.join(dir, file.name))));
  return manifest.files.filter((_, index) => !present[index]).map((file) => file.name);
}

/** Throws ModelChecksumError naming the first file in `dir` whose sha256 differs from the manifest. */
export async function verifyModelFiles(dir: string, manifest: ModelManifest): Promise<void> {
  for (const file of manifest.files) {
    const full = path.join(dir, file.name);
    const actual = await sha256File(full);
    if (actual !== file.sha256) throw new ModelChecksumError(full, file.sha256, actual);
  }
}
