import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Where voice audio waits between the processes of a turn (front door → ASR worker, TTS worker →
 * bridge), so that workflow history carries only a reference (`audio_ref`), never the audio.
 */
export interface AudioStore {
  /** Stores `bytes` under `key` (letters, digits, `._-/`); returns the reference to hand on. */
  put(key: string, bytes: Uint8Array): Promise<string>;
  /** The bytes of a reference; a clear error when it is unknown or expired. */
  get(ref: string): Promise<Buffer>;
}

const REF = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;
/** Audio is worthless once its turn is over: files older than this are deleted. */
const DEFAULT_TTL_MS = 10 * 60_000;
const SWEEP_EVERY_MS = 60_000;

export class AudioNotFoundError extends Error {}

/**
 * An AudioStore in a directory. One machine: `<data>/voice-audio`; several: a directory every
 * front door and inference worker mounts (set OFFLOAD_VOICE_AUDIO_DIR on each).
 */
export function directoryAudioStore(dir: string, ttlMs = DEFAULT_TTL_MS): AudioStore {
  let lastSweep = 0;
  const fileOf = (ref: string): string => {
    if (!REF.test(ref) || ref.split('/').some((part) => part === '.' || part === '..')) throw new AudioNotFoundError(`not an audio reference: ${JSON.stringify(ref)}`);
    return path.join(dir, ref);
  };

  async function sweep(now: number): Promise<void> {
    lastSweep = now;
    const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
    await Promise.all(
      entries
        .filter((e) => e.isFile())
        .map(async (e) => {
          const file = path.join(e.parentPath, e.name);
          const info = await stat(file).catch(() => undefined);
          if (info && now - info.mtimeMs > ttlMs) await rm(file, { force: true });
        }),
    );
  }

  return {
    async put(key, bytes) {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      const partial = `${file}.${process.pid}.partial`;
      await writeFile(partial, bytes);
      await rename(partial, file);
      const now = Date.now();
      if (now - lastSweep > SWEEP_EVERY_MS) void sweep(now);
      return key;
    },
    async get(ref) {
      try {
        return await readFile(fileOf(ref));
      } catch (err) {
        if (err instanceof AudioNotFoundError) throw err;
        throw new AudioNotFoundError(`audio ${ref} is not in ${dir} (expired, or this process does not share the front door's OFFLOAD_VOICE_AUDIO_DIR)`);
      }
    },
  };
}
