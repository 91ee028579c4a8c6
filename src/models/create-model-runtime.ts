import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { TaskType } from '../shared/task-types';
import { FAMILY_LOADERS } from './family-loaders';
import { MODEL_MANIFESTS, type ModelManifest } from './manifests';
import { missingFiles, modelPath, verifyModelFiles } from './model-files';
import { chooseTextProvider, loadConfiguredTextProvider, wantsTextManifest } from './text-generation/configured-text-provider';
import {
  ModelNotInstalledError,
  type Detector,
  type IntentClassifier,
  type LoadedModel,
  type ModelRuntime,
  type ModelRuntimeOptions,
  type Synthesizer,
  type TextGenerator,
  type Transcriber,
} from './types';

type Log = NonNullable<ModelRuntimeOptions['log']>;

async function loadModel(
  manifest: ModelManifest,
  dir: string,
  options: ModelRuntimeOptions,
  log: Log,
  loadedModel: (id: string) => LoadedModel | undefined,
): Promise<LoadedModel> {
  const started = performance.now();
  await verifyModelFiles(dir, manifest);
  const loaded = await FAMILY_LOADERS[manifest.family]({
    manifest,
    dir,
    executionProvider: options.executionProvider,
    intraOpThreads: options.intraOpThreads,
    log,
    loadedModel,
    intentsFile: options.intentsFile,
    textGeneration: options.textGeneration,
  });
  log('model loaded', { model: manifest.id, executionProvider: loaded.executionProvider, ms: Math.round(performance.now() - started) });
  return loaded;
}

/** Loads the models at once; in the given order, or, when one fails, closes the rest and throws its error. */
async function loadAll(manifests: ModelManifest[], load: (manifest: ModelManifest) => Promise<LoadedModel>): Promise<LoadedModel[]> {
  const settled = await Promise.allSettled(manifests.map(load));
  const failed = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  const models = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  if (failed) {
    await Promise.all(models.map((model) => model.close()));
    throw failed.reason;
  }
  return models;
}

/** Loads and warms every installed model under `options.modelDir`; each session runs in its own thread. */
export async function createModelRuntime(options: ModelRuntimeOptions): Promise<ModelRuntime> {
  const log: Log = options.log ?? (() => undefined);
  const modelDir = path.resolve(options.modelDir);
  const loaded: LoadedModel[] = [];
  const loadedModel = (id: string): LoadedModel | undefined => loaded.find((m) => m.model.id === id);
  const textProvider = await chooseTextProvider(options.textGeneration ?? {}, modelDir);
  const installed: ModelManifest[] = [];
  for (const manifest of MODEL_MANIFESTS) {
    if (!wantsTextManifest(manifest, textProvider)) continue;
    const missing = await missingFiles(modelPath(modelDir, manifest), manifest);
    if (missing.length > 0) log('model not installed', { model: manifest.id, dir: modelPath(modelDir, manifest), missing });
    else installed.push(manifest);
  }
  // Helper models (no task type of their own, e.g. the VAD Whisper uses) first; then the others
  // side by side, each in its own thread: worker start-up is the slowest load, not the sum.
  const load = (manifest: ModelManifest) => loadModel(manifest, modelPath(modelDir, manifest), options, log, loadedModel);
  try {
    loaded.push(...(await loadAll(installed.filter((m) => m.taskTypes.length === 0), load)));
    loaded.push(...(await loadAll(installed.filter((m) => m.taskTypes.length > 0), load)));
  } catch (error) {
    await Promise.all(loaded.map((model) => model.close()));
    throw error;
  }
  const configuredText = await loadConfiguredTextProvider(textProvider, options, log);
  if (configuredText) loaded.push(configuredText);

  /** The first loaded model (manifest order) that serves the task type. */
  function modelFor<M extends LoadedModel>(taskType: TaskType, modelId?: string): M {
    const model = loaded.find((m) => m.model.taskTypes.includes(taskType) && (modelId === undefined || m.model.id === modelId));
    if (!model) throw new ModelNotInstalledError(taskType, modelId ? `${modelDir} (model ${modelId})` : modelDir);
    return model as M;
  }

  return {
    hardware: options.hardware,
    executionProvider: loaded.some((m) => m.executionProvider === 'cuda') ? 'cuda' : (loaded[0]?.executionProvider ?? 'cpu'),
    installed: () => loaded.map(({ model }) => ({ ...model, taskTypes: [...model.taskTypes] })),
    serves: (taskType) => loaded.some(({ model }) => model.taskTypes.includes(taskType)),
    detect: async (image, o) => modelFor<Detector>('vision.detection', o?.model).detect(image, o),
    transcribe: async (audio, o) => modelFor<Transcriber>('voice.asr', o?.model).transcribe(audio, o),
    synthesize: async (text, o) => modelFor<Synthesizer>('voice.tts', o?.model).synthesize(text, o),
    generate: async (request, o) => modelFor<TextGenerator>('text.generate', o?.model).generate(request, o),
    understand: async (text, o) => modelFor<IntentClassifier>('text.nlu', o?.model).understand(text, o),
    async close() {
      await Promise.all(loaded.map((model) => model.close()));
    },
  };
}
