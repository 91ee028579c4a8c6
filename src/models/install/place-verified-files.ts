import { chmod, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ModelFileSpec } from '../registry/model-manifest';
import { checkSha256 } from './model-files';

const PARTIAL_SUFFIX = '.partial';

/** A file to install; one without a sha256 is copied along unchecked (e.g. a source directory's SOURCE.md). */
export type FileToPlace = Pick<ModelFileSpec, 'name'> & Partial<Pick<ModelFileSpec, 'sha256'>>;

/**
 * Puts `files` into `dir`: `fill` writes each to `<name>.partial`, which is made 0644 and checked
 * against its sha256; only once every file is, all are renamed into place, and no .partial is
 * left behind either way. A checksum error names `origin(file, partial)` (default: the .partial).
 */
export async function placeVerifiedFiles<F extends FileToPlace>(
  dir: string,
  files: readonly F[],
  fill: (file: F, to: string) => Promise<void>,
  origin: (file: F, partial: string) => string = (_file, partial) => partial,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const partial = (file: F): string => path.join(dir, file.name + PARTIAL_SUFFIX);
  try {
    for (const file of files) {
      await fill(file, partial(file));
      await chmod(partial(file), 0o644);
      if (file.sha256 !== undefined) await checkSha256(partial(file), file.sha256, origin(file, partial(file)));
    }
    for (const file of files) await rename(partial(file), path.join(dir, file.name));
  } finally {
    await Promise.all(files.map((file) => rm(partial(file), { force: true })));
  }
}
