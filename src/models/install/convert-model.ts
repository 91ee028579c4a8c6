import { copyFile, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ModelManifest, PackageConversion } from '../registry/model-manifest';
import { convertCt2Whisper } from './ctranslate2-whisper/convert-ctranslate2';
import { verifyFiles } from './model-files';
import { placeVerifiedFiles } from './place-verified-files';

/** Each converter reads its inputs from `inputDir` and writes the model's files into the empty `outputDir`. */
export const PACKAGE_CONVERTERS: Record<PackageConversion['converter'], (inputDir: string, outputDir: string, conversion: PackageConversion) => Promise<void>> = {
  'ctranslate2-whisper': (inputDir, outputDir, conversion) => convertCt2Whisper(inputDir, outputDir, { shortWindows: conversion.shortWindows }),
};

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
  const cached = await verifyFiles(converted, manifest.files).then(
    () => true,
    () => false,
  );
  if (!cached) await convertInto(manifest, conversion, fetchInput, converted, cacheDir);
  await placeVerifiedFiles(
    target,
    manifest.files,
    (file, to) => copyFile(path.join(converted, file.name), to),
    (_file, partial) => `${partial} (copied from ${converted})`,
  );
}

async function convertInto(
  manifest: ModelManifest,
  conversion: PackageConversion,
  fetchInput: (name: string, to: string) => Promise<void>,
  outputDir: string,
  cacheDir: string,
): Promise<void> {
  const scratch = await mkdtemp(path.join(cacheDir, `convert-${manifest.id}-`));
  const inputs = path.join(scratch, 'inputs');
  const outputs = path.join(scratch, 'outputs');
  try {
    await mkdir(inputs);
    await mkdir(outputs);
    for (const input of conversion.inputs) await fetchInput(input.name, path.join(inputs, input.name));
    await verifyFiles(inputs, conversion.inputs);
    await PACKAGE_CONVERTERS[conversion.converter](inputs, outputs, conversion);
    await placeVerifiedFiles(
      outputDir,
      manifest.files,
      (file, to) => rename(path.join(outputs, file.name), to),
      (_file, partial) => `${partial} (converted by ${conversion.converter})`,
    );
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
