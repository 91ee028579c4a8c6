import { performance } from 'node:perf_hooks';
import type { GenerationResult } from '../../../shared/model-results';
import type { GeneratePayload } from '../../../shared/task';
import { ModelInputError } from '../../registry/model-errors';
import type { ExecutionProvider, GenerateOptions, InferenceOutput, InstalledModel, TextGenerator } from '../../registry/model-capabilities';
import { generationParams, type GenerationParams } from '../generation-params';
import { StopSequenceStream } from '../stop-sequence-stream';
import type { OpenAiSettings } from '../text-generation-settings';
import { sseData } from './server-sent-events';

export const DEFAULT_OPENAI_TIMEOUT_MS = 120_000;

interface ChatChunk {
  choices?: { delta?: { content?: string | null }; message?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number } | null;
  error?: { message?: string };
}

/** `http://host:port` → `http://host:port/v1`; a URL with a path is kept as the API base (OpenAI SDK style). */
export function apiBase(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`OFFLOAD_OPENAI_BASE_URL "${baseUrl}" is not a URL`);
  }
  const base = url.href.replace(/\/+$/, '');
  return url.pathname === '/' ? `${base}/v1` : base;
}

/** Text generation by an OpenAI-compatible server (Ollama, vLLM, llama.cpp server): `POST /chat/completions`, streamed. */
export class OpenAiTextGenerator implements TextGenerator {
  readonly model: InstalledModel;
  readonly executionProvider: ExecutionProvider = 'cpu';
  private readonly base: string;

  constructor(private readonly settings: OpenAiSettings) {
    this.base = apiBase(settings.baseUrl);
    this.model = { id: `openai:${settings.model}`, taskTypes: ['text.generate'], kind: 'real', dir: this.base };
  }

  /** Asks the server for its models; resolves to a line for the log (never throws: the server may come up later). */
  async probe(timeoutMs = 5000): Promise<string> {
    try {
      const response = await fetch(`${this.base}/models`, { headers: this.headers(), signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) return `${this.base}/models answered HTTP ${response.status}`;
      const body = (await response.json()) as { data?: { id?: string }[] };
      const ids = (body.data ?? []).map((m) => m.id);
      return ids.includes(this.settings.model)
        ? `${this.base} serves ${this.settings.model}`
        : `${this.base} does not list ${this.settings.model} (it has: ${ids.join(', ') || 'none'})`;
    } catch (error) {
      return `${this.base} is not reachable yet: ${(error as Error).message}`;
    }
  }

  async generate(request: GeneratePayload, options: GenerateOptions = {}): Promise<InferenceOutput<GenerationResult>> {
    const params = generationParams(request);
    const started = performance.now();
    const timeout = AbortSignal.timeout(this.settings.timeoutMs ?? DEFAULT_OPENAI_TIMEOUT_MS);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const response = await fetch(`${this.base}/chat/completions`, {
      method: 'POST',
      headers: { ...this.headers(), 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify(this.body(params)),
      signal,
    });
    const answered = performance.now();
    if (!response.ok) {
      const detail = (await response.text().catch(() => '')).slice(0, 500);
      const message = `${this.base}/chat/completions answered HTTP ${response.status}: ${detail}`;
      // The server judged the request itself (too long, bad parameter): retrying cannot help.
      if (response.status === 400 || response.status === 413 || response.status === 422) throw new ModelInputError(message);
      throw new Error(message);
    }
    const text = new StopSequenceStream(params.stop, (piece) => options.onToken?.(piece));
    let usage: ChatChunk['usage'];
    let chunks = 0;
    let firstTokenMs: number | undefined;
    const take = (chunk: ChatChunk): boolean => {
      if (chunk.error) throw new Error(`${this.base}/chat/completions: ${chunk.error.message ?? JSON.stringify(chunk.error)}`);
      usage = chunk.usage ?? usage;
      const choice = chunk.choices?.[0];
      const piece = choice?.delta?.content ?? choice?.message?.content;
      if (!piece) return false;
      chunks++;
      firstTokenMs ??= performance.now() - started;
      return text.push(piece);
    };
    if ((response.headers.get('content-type') ?? '').includes('text/event-stream') && response.body) {
      for await (const data of sseData(response.body)) {
        if (data.trim() === '[DONE]') break;
        if (take(JSON.parse(data) as ChatChunk)) break;
      }
    } else {
      take((await response.json()) as ChatChunk);
    }
    const answer = text.finish();
    const finished = performance.now();
    const completionTokens = usage?.completion_tokens ?? chunks;
    return {
      result: { text: answer, tokens_used: usage?.total_tokens ?? completionTokens + (usage?.prompt_tokens ?? 0), from_cache: false },
      model: { id: this.model.id, kind: this.model.kind },
      timings: {
        preprocess_ms: 0,
        inference_ms: finished - started,
        postprocess_ms: 0,
        time_to_headers_ms: answered - started,
        ...(firstTokenMs !== undefined ? { first_token_ms: firstTokenMs } : {}),
        completion_tokens: completionTokens,
      },
    };
  }

  async close(): Promise<void> {}

  private headers(): Record<string, string> {
    return this.settings.apiKey ? { authorization: `Bearer ${this.settings.apiKey}` } : {};
  }

  private body(params: GenerationParams): Record<string, unknown> {
    return {
      model: this.settings.model,
      messages: params.messages,
      max_tokens: params.maxTokens,
      temperature: params.temperature,
      top_p: params.topP,
      ...(params.stop.length > 0 ? { stop: params.stop } : {}),
      stream: true,
      stream_options: { include_usage: true },
    };
  }
}
