import type { ModelManifest } from '../registry/model-manifest';
import { missingFiles, modelPath } from '../install/model-files';
import type { ModelRuntimeOptions } from '../runtime/model-runtime';
import type { TextGenerator } from '../registry/model-capabilities';
import { CachedTextGenerator } from './cached-text-generator';
import { SMOLLM2_135M } from '../registry/smollm2-135m';
import { OnnxDecoderGenerator } from './onnx/onnx-decoder-generator';
import { OpenAiTextGenerator } from './openai/openai-text-generator';
import type { TextGenerationSettings, TextProvider } from './text-generation-settings';

type Log = (message: string, fields?: Record<string, unknown>) => void;

/** The provider that serves text.generate: the configured one, else llama when SmolLM2 is installed, else whichever is configured. */
export async function chooseTextProvider(settings: TextGenerationSettings, modelDir: string): Promise<TextProvider | undefined> {
  if (settings.provider) return settings.provider;
  if ((await missingFiles(modelPath(modelDir, SMOLLM2_135M), SMOLLM2_135M)).length === 0) return 'llama';
  if (settings.openai) return 'openai';
  if (settings.onnxDir) return 'onnx';
  return undefined;
}

/** Whether the runtime should load this manifest: GGUF models only when llama is the text provider. */
export function wantsTextManifest(manifest: ModelManifest, provider: TextProvider | undefined): boolean {
  return manifest.family !== 'llama-gguf' || provider === undefined || provider === 'llama';
}

/**
 * The text generator of a provider that has no manifest (openai, onnx), behind the response cache;
 * none for llama, whose model the runtime loads from its manifest.
 */
export async function loadConfiguredTextProvider(
  provider: TextProvider | undefined,
  options: Pick<ModelRuntimeOptions, 'textGeneration' | 'executionProvider' | 'intraOpThreads'>,
  log: Log,
): Promise<TextGenerator | undefined> {
  const settings = options.textGeneration ?? {};
  if (provider === 'openai') {
    if (!settings.openai) throw new Error('OFFLOAD_TEXT_PROVIDER=openai needs OFFLOAD_OPENAI_BASE_URL and OFFLOAD_OPENAI_MODEL');
    const generator = new OpenAiTextGenerator(settings.openai);
    log(`text provider openai: ${await generator.probe()}`, { model: generator.model.id });
    return new CachedTextGenerator(generator, settings.cache);
  }
  if (provider === 'onnx') {
    if (!settings.onnxDir) throw new Error('OFFLOAD_TEXT_PROVIDER=onnx needs OFFLOAD_TEXT_ONNX_DIR (model.onnx, tokenizer.json, config.json)');
    const generator = await OnnxDecoderGenerator.load({
      dir: settings.onnxDir,
      executionProvider: options.executionProvider,
      intraOpThreads: options.intraOpThreads,
      log,
    });
    log('text provider onnx loaded', { model: generator.model.id, kind: generator.model.kind, dir: settings.onnxDir });
    return new CachedTextGenerator(generator, settings.cache);
  }
  return undefined;
}
