import { stat } from 'node:fs/promises';
import path from 'node:path';
import { describeSource } from './install-from-package';
import { MODEL_MANIFESTS } from '../registry/manifests';
import type { ModelManifest } from '../registry/model-manifest';
import { missingFiles, modelPath, sha256File } from './model-files';

export interface ModelListing {
  id: string;
  family: string;
  kind: ModelManifest['kind'];
  taskTypes: string[];
  /** `installed`: every file present (checksums are checked by `verify`). */
  state: 'installed' | 'missing' | 'partial';
  missing: string[];
  /** Where setup installs it from (`pypi:name==version`, `npm:name`, `maven:g:a:v`, or `none`). */
  source: string;
  /** Total size of the model's files per its manifest. */
  bytes: number;
  dir: string;
  license: string;
}

/** Every known model with whether its files are in `modelDir`. */
export async function listModels(modelDir: string, manifests: readonly ModelManifest[] = MODEL_MANIFESTS): Promise<ModelListing[]> {
  return Promise.all(
    manifests.map(async (manifest) => {
      const dir = modelPath(modelDir, manifest);
      const missing = await missingFiles(dir, manifest);
      const state = missing.length === 0 ? 'installed' : missing.length === manifest.files.length ? 'missing' : 'partial';
      return {
        id: manifest.id,
        family: manifest.family,
        kind: manifest.kind,
        taskTypes: [...manifest.taskTypes],
        state,
        missing,
        source: describeSource(manifest),
        bytes: manifest.files.reduce((sum, file) => sum + file.bytes, 0),
        dir,
        license: manifest.license,
      };
    }),
  );
}

export type FileCheck =
  | { file: string; status: 'ok' }
  | { file: string; status: 'missing' }
  | { file: string; status: 'mismatch'; expected: string; actual: string; expectedBytes: number; actualBytes: number };

export interface ModelVerification {
  id: string;
  /** `ok`: every file matches; `not-installed`: no file present; `broken`: a file is missing or differs. */
  state: 'ok' | 'not-installed' | 'broken';
  files: FileCheck[];
}

/** Checks the sha256 of each of the model's files in `modelDir`. */
export async function verifyModel(modelDir: string, manifest: ModelManifest): Promise<ModelVerification> {
  const dir = modelPath(modelDir, manifest);
  const files: FileCheck[] = [];
  for (const spec of manifest.files) {
    const file = path.join(dir, spec.name);
    const size = await stat(file).then(
      (info) => info.size,
      () => undefined,
    );
    if (size === undefined) {
      files.push({ file, status: 'missing' });
      continue;
    }
    const actual = await sha256File(file);
    if (actual === spec.sha256) files.push({ file, status: 'ok' });
    else files.push({ file, status: 'mismatch', expected: spec.sha256, actual, expectedBytes: spec.bytes, actualBytes: size });
  }
  const missing = files.filter((f) => f.status === 'missing').length;
  const state = missing === files.length ? 'not-installed' : files.every((f) => f.status === 'ok') ? 'ok' : 'broken';
  return { id: manifest.id, state, files };
}
