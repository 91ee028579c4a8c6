import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import type { FilePart } from '../registry/model-manifest';
import { placeVerifiedFiles } from './place-verified-files';

/**
 * Writes `to` as the concatenation of `parts`, in order: `fill` writes each part into a scratch
 * directory beside `to`, where it is checked against its sha256 (as placeVerifiedFiles does) before
 * any is appended. The scratch directory is removed either way; checking the joined file is the caller's.
 */
export async function joinFileParts(parts: readonly FilePart[], fill: (part: FilePart, to: string) => Promise<void>, to: string): Promise<void> {
  const scratch = `${to}.parts`;
  const named = parts.map((part, index) => ({ ...part, name: `part${index + 1}` }));
  try {
    await placeVerifiedFiles(scratch, named, fill, (part) => `part ${part.path}`);
    await rm(to, { force: true });
    for (const part of named) await pipeline(createReadStream(path.join(scratch, part.name)), createWriteStream(to, { flags: 'a' }));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
