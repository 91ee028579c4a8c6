export const TEXT_PROVIDERS = ['llama', 'onnx', 'openai'] as const;
export type TextProvider = (typeof TEXT_PROVIDERS)[number];

/** One lookup in a response cache, for metrics (`cache_hits_total{cache_type}` / `cache_misses_total{cache_type}`). */
export interface CacheLookup {
  cacheType: string;
  hit: boolean;
}

export interface ResponseCacheSettings {
  /** Most responses kept; the least recently used goes first. 0 turns the cache off (default 256). */
  maxEntries?: number;
  /** Also cache sampled answers (temperature > 0); by default only temperature 0 is cached. */
  cacheSampled?: boolean;
  /** Called on every lookup of a cacheable request. */
  onLookup?: (lookup: CacheLookup) => void;
}

export interface OpenAiSettings {
  /** API base as OpenAI's SDK takes it, e.g. http://127.0.0.1:11434/v1 (Ollama); a bare host gets /v1. */
  baseUrl: string;
  /** Model name the server knows (e.g. `llama3.2:1b` on Ollama). */
  model: string;
  /** Sent as `Authorization: Bearer <key>` when set. */
  apiKey?: string;
  /** Gives up on a request that sends nothing for this long (default 60 000 ms). */
  timeoutMs?: number;
}

/** How text.generate is served. */
export interface TextGenerationSettings {
  /** Which provider answers (default: `llama` when its model is installed, else `openai` when configured, else `onnx` when configured). */
  provider?: TextProvider;
  /** An OpenAI-compatible server (Ollama, vLLM, llama.cpp server). */
  openai?: OpenAiSettings;
  /** A decoder-only ONNX export: model.onnx, tokenizer.json, config.json. */
  onnxDir?: string;
  /** llama.cpp CPU threads (default: half the cores, 1 to 4). */
  llamaThreads?: number;
  /** llama.cpp context size in tokens (default 2048). */
  llamaContextSize?: number;
  cache?: ResponseCacheSettings;
}
