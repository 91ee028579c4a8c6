export * from './types';
export { createModelRuntime } from './create-model-runtime';
export { MODEL_MANIFESTS, YOLOX_NANO, findManifest, type ModelFamily, type ModelFileSpec, type ModelManifest } from './manifests';
export { defaultModelDir, defaultModelSources, findRepoRoot } from './model-dirs';
export { missingFiles, modelPath, sha256File, verifyModelFiles } from './model-files';
export { seedModels, type SeedModelsOptions, type SeedReport } from './seed-models';
