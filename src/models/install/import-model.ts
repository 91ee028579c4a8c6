import { copyFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ModelManifest } from '../registry/model-manifest';
import { installByConversion } from './convert-model';
import type { InstallOptions, InstallReport } from './install-report';
import { modelPath } from './model-files';
import { placeVerifiedFiles } from './place-verified-files';

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
  const copyAvailable = (name: string, to: string): Promise<void> => {
    const from = available.get(name);
    if (!from) throw new Error(`${name} is not in ${paths.join(', ')}`);
    return copyFile(from, to);
  };
  const missing = manifest.files.filter((file) => !available.has(file.name)).map((file) => file.name);
  if (missing.length === 0) {
    await placeVerifiedFiles(target, manifest.files, (spec, to) => copyAvailable(spec.name, to));
    return { id: manifest.id, dir: target, changed: true, how: 'copied' };
  }
  const conversion = manifest.package?.convert;
  if (conversion && conversion.inputs.every((input) => available.has(input.name))) {
    await installByConversion(manifest, conversion, copyAvailable, target, options.cacheDir);
    return { id: manifest.id, dir: target, changed: true, how: 'converted' };
  }
  const alternatives = conversion ? ` (or, to convert: ${conversion.inputs.map((input) => input.name).join(', ')})` : '';
  throw new Error(`${paths.join(', ')}: no ${missing.join(', ')} for ${manifest.id}; it needs ${manifest.files.map((f) => f.name).join(', ')}${alternatives}`);
}
