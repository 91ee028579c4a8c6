import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { ModelFileSpec } from '../registry/model-manifest';
import { ModelChecksumError } from '../registry/model-errors';

/** A download failed before or while its bytes arrived (no network, HTTP error, cut short). */
export class DownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DownloadError';
  }
}

/** The error's message and its cause's (fetch puts the network error there); duck-typed, as errors may come from another realm. */
function reason(error: unknown): string {
  const messageOf = (value: unknown): string | undefined =>
    typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string' ? (value as { message: string }).message : undefined;
  const message = messageOf(error) ?? String(error);
  const cause = messageOf((error as { cause?: unknown } | null)?.cause);
  return cause ? `${message}: ${cause}` : message;
}

export interface DownloadOptions {
  signal?: AbortSignal;
  /** Called as bytes arrive (for progress output). */
  onProgress?: (received: number, total: number) => void;
}

/**
 * Downloads `spec.url` to `to`, checking the byte count and sha256 as it streams; on any failure the
 * file is removed. Throws DownloadError (network, HTTP status, size) or ModelChecksumError.
 */
export async function downloadFile(spec: ModelFileSpec & { url: string }, to: string, options: DownloadOptions = {}): Promise<void> {
  let response: Response;
  try {
    response = await fetch(spec.url, { signal: options.signal, redirect: 'follow' });
  } catch (error) {
    throw new DownloadError(`cannot download ${spec.name} from ${spec.url}: ${reason(error)}`);
  }
  if (!response.ok || !response.body) {
    throw new DownloadError(`cannot download ${spec.name} from ${spec.url}: HTTP ${response.status} ${response.statusText}`);
  }
  const hash = createHash('sha256');
  let received = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      if (received > spec.bytes) {
        done(new DownloadError(`${spec.url} sent more than the ${spec.bytes} bytes ${spec.name} has`));
        return;
      }
      hash.update(chunk);
      options.onProgress?.(received, spec.bytes);
      done(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), count, createWriteStream(to));
    if (received !== spec.bytes) throw new DownloadError(`${spec.url} sent ${received} bytes, ${spec.name} has ${spec.bytes}`);
    const actual = hash.digest('hex');
    if (actual !== spec.sha256) throw new ModelChecksumError(`${spec.url}`, spec.sha256, actual);
  } catch (error) {
    await rm(to, { force: true });
    if (error instanceof DownloadError || error instanceof ModelChecksumError) throw error;
    throw new DownloadError(`download of ${spec.name} from ${spec.url} failed: ${reason(error)}`);
  }
}
