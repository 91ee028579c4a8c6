import type { OffloadConfig } from '../config/load-config';
import { MODEL_MANIFESTS } from './registry/manifests';
import { missingFiles, modelPath, verifyModelFiles } from './install/model-files';
import { seedModels } from './install/seed-models';

/**
 * Seeds missing models (into `modelDir`, from `modelSources`, downloads cached in `cacheDir`) and
 * returns one status line per known model; true in `ok` when every one is usable.
 */
export async function setupModels(config: Pick<OffloadConfig, 'modelDir' | 'modelSources' | 'cacheDir'>): Promise<{ ok: boolean; lines: string[] }> {
  const { modelDir, modelSources: sourceDirs } = config;
  const lines = [`model dir: ${modelDir}`, `sources:   ${sourceDirs.join(', ')}`];
  const report = await seedModels({ modelDir, sourceDirs, packageCacheDir: config.cacheDir });
  let ok = true;
  for (const manifest of MODEL_MANIFESTS) {
    const dir = modelPath(modelDir, manifest);
    const copied = report.copied.find((entry) => entry.id === manifest.id);
    const missing = await missingFiles(dir, manifest);
    const tasks = manifest.taskTypes.join(', ');
    if (missing.length > 0) {
      lines.push(`${manifest.id}: missing (${missing.join(', ')} not in ${dir}; not found in any source) [${tasks}]`);
      continue;
    }
    try {
      await verifyModelFiles(dir, manifest);
      lines.push(`${manifest.id}: installed${copied ? ` (copied from ${copied.from})` : ''} [${tasks}]`);
    } catch (error) {
      ok = false;
      lines.push(`${manifest.id}: broken: ${(error as Error).message}`);
    }
  }
  return { ok, lines };
}
