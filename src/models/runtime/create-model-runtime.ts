import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { TaskType } from '../../shared/task-types';
import { FAMILY_LOADERS } from './family-loaders';
import { manifestsIn } from '../install/imported-voices';
import type { ModelManifest } from '../registry/model-manifest';
import { missingFiles, modelPath, verifyModelFiles } from '../install/model-files';
import { chooseTextProvider, loadConfiguredTextProvider, wantsTextManifest } from '../text-generation/configured-text-provider';
import { ModelNotInstalledError } from '../registry/model-errors';
import { modelForLanguage } from '../registry/model-languages';
import { TASK_CAPABILITY, type LoadedModel, type ModelFor, type Synthesizer } from '../registry/model-capabilities';
import { checkTextLanguage } from '../text-generation/text-language';
import { chooseVoice } from './choose-voice';
import type { ModelRuntime, ModelRuntimeOptions } from './model-runtime';
import { closeLoaded, slotFor, type ModelSlot } from './model-slot';
import { serving, type ServingModel } from './serving-model';

type Log = NonNullable<ModelRuntimeOptions['log']>;

async function loadModel(
  manifest: ModelManifest,
  dir: string,
  options: ModelRuntimeOptions,
  log: Log,
  loadedModel: (id: string) => LoadedModel | undefined,
): Promise<ServingModel> {
  const started = performance.now();
  await verifyModelFiles(dir, manifest);
  const warm = await FAMILY_LOADERS[manifest.family]({
    manifest,
    dir,
    executionProvider: options.executionProvider,
    intraOpThreads: options.intraOpThreads,
    log,
    loadedModel,
    intentsFile: options.intentsFile,
    textGeneration: options.textGeneration,
  });
  log('model loaded', { model: manifest.id, executionProvider: warm.loaded.executionProvider, ms: Math.round(performance.now() - started) });
  return warm;
}

/**
 * Loads and warms every installed model under `options.modelDir`; each session runs in its own thread.
 * Helper models (no task type of their own, e.g. the VAD Whisper uses) load first, then the others
 * side by side: start-up takes the slowest load, not the sum. By default it resolves once all are
 * warm and a model that fails to load fails the runtime; with `serveWhileLoading` see its option.
 */
export async function createModelRuntime(options: ModelRuntimeOptions): Promise<ModelRuntime> {
  const log: Log = options.log ?? (() => undefined);
  const modelDir = path.resolve(options.modelDir);
  const slots: ModelSlot[] = [];
  const loadedModel = (id: string): LoadedModel | undefined => slots.find((slot) => slot.warm?.loaded.model.id === id)?.warm?.loaded;
  const textProvider = await chooseTextProvider(options.textGeneration ?? {}, modelDir);
  const installed: ModelManifest[] = [];
  for (const manifest of await manifestsIn(modelDir)) {
    if (!wantsTextManifest(manifest, textProvider)) continue;
    const missing = await missingFiles(modelPath(modelDir, manifest), manifest);
    if (missing.length > 0) log('model not installed', { model: manifest.id, dir: modelPath(modelDir, manifest), missing });
    else installed.push(manifest);
  }
  const start = (manifest: ModelManifest): ModelSlot =>
    slotFor(manifest.id, manifest.taskTypes, loadModel(manifest, modelPath(modelDir, manifest), options, log, loadedModel));

  const helpers = installed.filter((m) => m.taskTypes.length === 0).map(start);
  slots.push(...helpers);
  await Promise.all(helpers.map((slot) => slot.ready));
  const taskModels = installed.filter((m) => m.taskTypes.length > 0).map(start);
  slots.push(...taskModels);
  // openai and onnx serve text.generate without a manifest; their model id is known once loaded.
  if (textProvider === 'openai' || textProvider === 'onnx') {
    const loading = loadConfiguredTextProvider(textProvider, options, log).then((generator) => generator && serving('textGenerator', generator));
    slots.push(slotFor(undefined, ['text.generate'], loading));
  }
  const allLoaded = Promise.all(slots.map((slot) => slot.ready)).then(() => undefined);

  if (options.serveWhileLoading) {
    for (const slot of slots) {
      void slot.ready.then(() => {
        if (slot.failed) log('model failed to load: its task types are not served', { model: slot.id, error: errorText(slot.failed) });
      });
    }
    // The first warm model tells which execution provider this machine really gives.
    await Promise.race([allLoaded, ...taskModels.map((slot) => slot.ready.then((model) => (model ? undefined : new Promise(() => undefined))))]);
  } else {
    await allLoaded;
    const failed = slots.find((slot) => slot.failed !== undefined);
    if (failed) {
      await closeLoaded(slots);
      throw failed.failed;
    }
  }

  /** The first model (manifest order) serving the task type that is or becomes warm; waits for one still loading. */
  async function modelFor<T extends TaskType>(taskType: T, modelId?: string): Promise<ModelFor<T>> {
    for (const slot of slots) {
      if (!slot.taskTypes.includes(taskType) || (modelId !== undefined && slot.id !== undefined && slot.id !== modelId)) continue;
      const model = (await slot.ready)?.capabilities[TASK_CAPABILITY[taskType]];
      if (model && (modelId === undefined || model.model.id === modelId)) return model;
    }
    throw new ModelNotInstalledError(taskType, modelId ? `${modelDir} (model ${modelId})` : modelDir);
  }

  /** The id of the installed model for `taskType` in `language`; undefined without a language. */
  function modelInLanguage(taskType: TaskType, language: string | undefined): string | undefined {
    if (!language) return undefined;
    const manifest = modelForLanguage(installed, taskType, language);
    if (!manifest) throw new ModelNotInstalledError(taskType, `${modelDir} (none for language "${language}")`);
    return manifest.id;
  }

  /** Every installed voice, in manifest order, once loaded (one that failed to load is left out). */
  async function voices(): Promise<Synthesizer[]> {
    const ready = await Promise.all(slots.filter((slot) => slot.taskTypes.includes('voice.tts')).map((slot) => slot.ready));
    return ready.flatMap((model) => (model?.capabilities.synthesizer ? [model.capabilities.synthesizer] : []));
  }

  const warm = () => slots.flatMap((slot) => (slot.warm ? [slot.warm.loaded] : []));
  const firstWarm = warm();
  return {
    hardware: options.hardware,
    executionProvider: firstWarm.some((m) => m.executionProvider === 'cuda') ? 'cuda' : (firstWarm[0]?.executionProvider ?? 'cpu'),
    allLoaded,
    installed: () => warm().map(({ model }) => ({ ...model, taskTypes: [...model.taskTypes] })),
    serves: (taskType) => slots.some((slot) => slot.failed === undefined && slot.taskTypes.includes(taskType)),
    detect: async (image, o) => (await modelFor('vision.detection', o?.model)).detect(image, o),
    transcribe: async (audio, o) => {
      const language = audio.language || options.language;
      const model = await modelFor('voice.asr', o?.model ?? modelInLanguage('voice.asr', language));
      return model.transcribe(language ? { ...audio, language } : audio, o);
    },
    synthesize: async (text, o = {}) => {
      if (o.model) return (await modelFor('voice.tts', o.model)).synthesize(text, o);
      return chooseVoice(await voices(), o, modelDir).synthesize(text, o);
    },
    generate: async (request, o) => {
      const generator = await modelFor('text.generate', o?.model);
      checkTextLanguage(generator, request);
      return generator.generate(request, o);
    },
    understand: async (text, o) => (await modelFor('text.nlu', o?.model)).understand(text, o),
    close: () => closeLoaded(slots),
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
