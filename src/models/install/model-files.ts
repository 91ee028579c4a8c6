import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ModelFileSpec, ModelManifest } from '../registry/model-manifest';
import { ModelChecksumError } from '../registry/model-errors';

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

/** Throws ModelChecksumError, naming `origin` (default: the file), when the file's sha256 is not `sha256`. */
export async function checkSha256(file: string, sha256: string, origin: string = file): Promise<void> {
  const actual = await sha256File(file);
  if (actual !== sha256) throw new ModelChecksumError(origin, sha256, actual);
}

/** Throws ModelChecksumError naming the first of `files` in `dir` whose sha256 differs from its spec. */
export async function verifyFiles(dir: string, files: readonly ModelFileSpec[]): Promise<void> {
  for (const file of files) await checkSha256(path.join(dir, file.name), file.sha256);
}

/** Throws ModelChecksumError naming the first file in `dir` whose sha256 differs from the manifest. */
export function verifyModelFiles(dir: string, manifest: ModelManifest): Promise<void> {
  return verifyFiles(dir, manifest.files);
}
