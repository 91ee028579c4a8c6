import path from 'node:path';
import type { ModelManifest } from '../../src/models/registry/model-manifest';
import { missingFiles, modelPath } from '../../src/models/install/model-files';
import { seedModels } from '../../src/models/install/seed-models';
import { tempDir } from './model-test-env';

/** The model dir jest's global setup installed every model into (from registry packages). */
export function testModelDir(): string {
  const dir = process.env.OFFLOAD_TEST_MODEL_DIR;
  if (!dir) throw new Error('OFFLOAD_TEST_MODEL_DIR is not set: run the tests through jest');
  return dir;
}

/** The installed directory of one model; fails clearly when the global setup could not install it. */
export async function installedModel(manifest: ModelManifest): Promise<string> {
  const dir = modelPath(testModelDir(), manifest);
  const missing = await missingFiles(dir, manifest);
  if (missing.length > 0) throw new Error(`${manifest.id} is not installed in ${testModelDir()} (missing ${missing.join(', ')})`);
  return dir;
}

/** A fresh model dir holding only `manifests`, copied from the installed models. */
export async function modelDirWith(manifests: ModelManifest[]): Promise<string> {
  const modelDir = await tempDir('text-models');
  const report = await seedModels({ modelDir, sourceDirs: [testModelDir()], manifests });
  if (report.missing.length > 0) throw new Error(`not installed by the global setup: ${report.missing.join(', ')}`);
  return modelDir;
}

export const dirOf = (modelDir: string, manifest: ModelManifest): string => path.join(modelDir, manifest.id);
