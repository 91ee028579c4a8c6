import { createHash } from 'node:crypto';
import type { GenerationParams } from './generation-params';
import type { CacheLookup, ResponseCacheSettings } from './text-generation-settings';

export interface CachedResponse {
  text: string;
  tokensUsed: number;
}

export interface ResponseCacheStats {
  hits: number;
  misses: number;
  entries: number;
}

export const DEFAULT_CACHE_ENTRIES = 256;
export const TEXT_CACHE_TYPE = 'text_generation';

/** Generated answers by (model, prompt, parameters), least recently used dropped first. */
export class ResponseCache {
  private readonly entries = new Map<string, CachedResponse>();
  private readonly maxEntries: number;
  private hits = 0;
  private misses = 0;

  constructor(private readonly settings: ResponseCacheSettings = {}) {
    this.maxEntries = settings.maxEntries ?? DEFAULT_CACHE_ENTRIES;
  }

  /** Greedy answers only, unless sampled ones are allowed too. */
  cacheable(params: GenerationParams): boolean {
    return this.maxEntries > 0 && (params.temperature === 0 || this.settings.cacheSampled === true);
  }

  static key(modelId: string, params: GenerationParams): string {
    const { messages, maxTokens, temperature, topP, stop } = params;
    return createHash('sha256').update(JSON.stringify([modelId, messages, maxTokens, temperature, topP, stop])).digest('hex');
  }

  get(key: string): CachedResponse | undefined {
    const found = this.entries.get(key);
    if (found) {
      this.entries.delete(key);
      this.entries.set(key, found);
      this.hits++;
    } else {
      this.misses++;
    }
    this.settings.onLookup?.({ cacheType: TEXT_CACHE_TYPE, hit: found !== undefined } satisfies CacheLookup);
    return found;
  }

  set(key: string, response: CachedResponse): void {
    if (this.maxEntries <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, response);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  stats(): ResponseCacheStats {
    return { hits: this.hits, misses: this.misses, entries: this.entries.size };
  }
}
