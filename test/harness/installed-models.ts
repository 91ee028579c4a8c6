import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MODEL_MANIFESTS } from '../../src/models/registry/manifests';
import type { TaskType } from '../../src/shared/task-types';

/**
 * Whether the test model directory holds a model for `taskType`, known when jest collects tests:
 * `(modelGate('voice.asr').installed ? test : test.skip)(...)` runs a test only with a model, and
 * says in the skipped test's name why it did not run.
 */
export function modelGate(taskType: TaskType): { installed: boolean; reason: string } {
  const modelDir = process.env.OFFLOAD_TEST_MODEL_DIR;
  if (!modelDir) return { installed: false, reason: 'OFFLOAD_TEST_MODEL_DIR is not set' };
  const candidates = MODEL_MANIFESTS.filter((m) => m.taskTypes.includes(taskType));
  const installed = candidates.find((m) => m.files.every((f) => existsSync(join(modelDir, m.id, f.name))));
  return installed
    ? { installed: true, reason: `${installed.id} installed` }
    : { installed: false, reason: `skipped: no ${taskType} model installed (${candidates.map((m) => m.id).join(', ') || 'none known'} missing from ${modelDir})` };
}
