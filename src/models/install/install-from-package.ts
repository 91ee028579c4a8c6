import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import type { ModelManifest, RegistryPackage } from '../registry/model-manifest';
import { installByConversion } from './convert-model';
import { extractZipMember } from './extract-zip-member';
import { fetchPackage } from './fetch-package';
import { joinFileParts } from './join-file-parts';
import { placeVerifiedFiles } from './place-verified-files';

/** Installs a model's missing files from the registry package(s) its manifest names, checking every sha256. */
export async function installFromPackage(manifest: ModelManifest, target: string, cacheDir: string): Promise<string> {
  const source = manifest.package;
  if (!source) throw new Error(`${manifest.id} names no registry package to install from`);
  const copyOut = async (from: RegistryPackage, entry: string, to: string): Promise<void> => {
    const fetched = await fetchPackage(from, cacheDir);
    return fetched.kind === 'dir' ? copyFile(path.join(fetched.path, entry), to) : extractZipMember(fetched.path, entry, to);
  };
  const fill = (name: string, to: string): Promise<void> => {
    const parts = source.parts?.[name];
    if (parts) return joinFileParts(parts, (part, partTo) => copyOut(part.package ?? source, part.path, partTo), to);
    const entry = source.files[name];
    if (!entry) throw new Error(`${manifest.id}: the ${source.kind} package has no entry for ${name}`);
    return copyOut(source, entry, to);
  };
  if (source.convert) {
    await installByConversion(manifest, source.convert, fill, target, cacheDir);
    return describeSource(manifest);
  }
  await placeVerifiedFiles(
    target,
    manifest.files,
    (file, to) => fill(file.name, to),
    (file) => `${describeSource(manifest)}:${source.files[file.name] ?? `${file.name} (joined from parts)`}`,
  );
  return describeSource(manifest);
}

/** The package(s) setup installs a model from, e.g. `pypi:name==version` (parts from other packages follow after ` + `). */
export function describeSource(manifest: ModelManifest): string {
  const source = manifest.package;
  if (!source) return 'none';
  const partPackages = Object.values(source.parts ?? {}).flatMap((parts) => parts.flatMap((part) => (part.package ? [part.package] : [])));
  return [...new Set([source, ...partPackages].map(describePackage))].join(' + ');
}

function describePackage(source: RegistryPackage): string {
  if (source.kind === 'pypi') return `pypi:${source.package}==${source.version}`;
  if (source.kind === 'maven') return `maven:${source.artifact}`;
  return `npm:${source.package}`;
}
