import { MODEL_MANIFESTS } from '../models/registry/manifests';
import type { ModelManifest } from '../models/registry/model-manifest';
import { missingFiles, modelPath } from '../models/install/model-files';
import { modelForLanguage } from '../models/registry/model-languages';
import type { TaskType } from '../shared/task-types';

/** The models installed in a model directory (every file present), in manifest order. */
export async function installedModels(modelDir: string): Promise<ModelManifest[]> {
  const present = await Promise.all(MODEL_MANIFESTS.map(async (m) => (await missingFiles(modelPath(modelDir, m), m)).length === 0));
  return MODEL_MANIFESTS.filter((_, i) => present[i]);
}

/** The model that would serve a task type in the robot's language, as the workers choose (modelForLanguage). */
export function modelFor(models: ModelManifest[], taskType: TaskType, language?: string): string | undefined {
  return modelForLanguage(models, taskType, language)?.id;
}
