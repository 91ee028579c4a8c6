import type { LoadContext } from '../runtime/load-context';
import type { TextGenerator } from '../registry/model-capabilities';
import { CachedTextGenerator } from './cached-text-generator';
import { LlamaTextGenerator } from './llama/llama-text-generator';

/** The `llama-gguf` family: a GGUF chat model through llama.cpp, behind the response cache. */
export async function loadLlamaTextGenerator(context: LoadContext): Promise<TextGenerator> {
  const settings = context.textGeneration ?? {};
  const generator = await LlamaTextGenerator.load({
    manifest: context.manifest,
    dir: context.dir,
    executionProvider: context.executionProvider,
    threads: settings.llamaThreads,
    contextSize: settings.llamaContextSize,
    log: context.log,
  });
  return new CachedTextGenerator(generator, settings.cache);
}
