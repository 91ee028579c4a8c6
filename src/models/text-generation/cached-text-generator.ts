import { performance } from 'node:perf_hooks';
import type { GenerationResult } from '../../shared/model-results';
import type { GeneratePayload } from '../../shared/task';
import type { ExecutionProvider, GenerateOptions, InferenceOutput, InstalledModel, TextGenerator } from '../registry/model-capabilities';
import { generationParams } from './generation-params';
import { ResponseCache, type ResponseCacheStats } from './response-cache';
import type { ResponseCacheSettings } from './text-generation-settings';

/** A text generator that answers repeated greedy requests from a response cache (`from_cache: true`). */
export class CachedTextGenerator implements TextGenerator {
  private readonly cache: ResponseCache;

  constructor(
    private readonly inner: TextGenerator,
    settings: ResponseCacheSettings = {},
  ) {
    this.cache = new ResponseCache(settings);
  }

  get model(): InstalledModel {
    return this.inner.model;
  }

  get executionProvider(): ExecutionProvider {
    return this.inner.executionProvider;
  }

  get languages(): readonly string[] | 'multilingual' | undefined {
    return this.inner.languages;
  }

  cacheStats(): ResponseCacheStats {
    return this.cache.stats();
  }

  async generate(request: GeneratePayload, options: GenerateOptions = {}): Promise<InferenceOutput<GenerationResult>> {
    const params = generationParams(request);
    if (!this.cache.cacheable(params)) return this.inner.generate(request, options);
    const started = performance.now();
    const key = ResponseCache.key(this.model.id, params);
    const cached = this.cache.get(key);
    if (cached) {
      options.onToken?.(cached.text);
      return {
        result: { text: cached.text, tokens_used: cached.tokensUsed, from_cache: true },
        model: { id: this.model.id, kind: this.model.kind },
        timings: { preprocess_ms: 0, inference_ms: 0, postprocess_ms: 0, cache_lookup_ms: performance.now() - started },
      };
    }
    const output = await this.inner.generate(request, options);
    if (!options.signal?.aborted) this.cache.set(key, { text: output.result.text, tokensUsed: output.result.tokens_used });
    return output;
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
