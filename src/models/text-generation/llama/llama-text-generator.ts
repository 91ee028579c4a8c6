import { availableParallelism } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { GenerationResult } from '../../../shared/model-results';
import type { GeneratePayload } from '../../../shared/task';
import type { ModelManifest } from '../../registry/model-manifest';
import { ModelInputError, SessionThreadError } from '../../registry/model-errors';
import type { ExecutionProvider, GenerateOptions, InferenceOutput, InstalledModel, TextGenerator } from '../../registry/model-capabilities';
import { generationParams } from '../generation-params';
import { RestartingThread } from '../../threads/restarting-thread';
import { LlamaConnection, LlamaGenerationError } from './llama-connection';

export interface LlamaTextGeneratorOptions {
  manifest: ModelManifest;
  /** The model's directory (holds the .gguf file). */
  dir: string;
  /** `cuda` asks llama.cpp for CUDA and falls back to the CPU with a log line. */
  executionProvider: ExecutionProvider;
  /** CPU threads for llama.cpp (default: half the cores, 1 to 4; llama.cpp's spinning threads slow down badly when cores are oversubscribed). */
  threads?: number;
  /** Context window in tokens (default 2048). */
  contextSize?: number;
  /** Thread entry script (default: the compiled llama-thread.js beside this file). */
  threadEntry?: string;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

export const DEFAULT_LLAMA_CONTEXT_SIZE = 2048;

export function defaultLlamaThreads(): number {
  return Math.max(1, Math.min(4, Math.floor(availableParallelism() / 2)));
}

/**
 * A GGUF chat model run by llama.cpp (node-llama-cpp) in a worker thread: the chat template comes
 * from the model, tokens stream back as they are generated, and an aborted signal stops generation.
 * A crashed thread fails its open calls; the next call starts a new one.
 */
export class LlamaTextGenerator implements TextGenerator {
  private readonly thread: RestartingThread<LlamaConnection>;
  private provider: ExecutionProvider = 'cpu';

  private constructor(
    readonly model: InstalledModel,
    private readonly options: LlamaTextGeneratorOptions,
  ) {
    this.thread = new RestartingThread({
      open: () => this.open(),
      prepare: (connection) => this.prepare(connection),
      closedError: () => new SessionThreadError(`${model.id}: model is closed`),
      onRestart: () => options.log?.('llama.cpp thread died, starting a new one', { model: model.id }),
    });
  }

  /** Starts the thread, loads the model and warms it with a one-token generation. */
  static async load(options: LlamaTextGeneratorOptions): Promise<LlamaTextGenerator> {
    const { manifest, dir } = options;
    const model: InstalledModel = { id: manifest.id, taskTypes: [...manifest.taskTypes], kind: manifest.kind, dir };
    const generator = new LlamaTextGenerator(model, options);
    await generator.generate({ prompt: 'Hi', max_tokens: 1, temperature: 0 });
    return generator;
  }

  get executionProvider(): ExecutionProvider {
    return this.provider;
  }

  /** The manifest's languages (SmolLM2: English only). */
  get languages(): readonly string[] | 'multilingual' | undefined {
    return this.options.manifest.languages;
  }

  async generate(request: GeneratePayload, options: GenerateOptions = {}): Promise<InferenceOutput<GenerationResult>> {
    const params = generationParams(request);
    const started = performance.now();
    const connection = await this.thread.live();
    const connected = performance.now();
    try {
      const done = await connection.generate(params, (text) => options.onToken?.(text), options.signal);
      const finished = performance.now();
      const tokensPerSecond = done.completionTokens / Math.max(done.generateMs / 1000, 1e-6);
      return {
        result: { text: done.text, tokens_used: done.promptTokens + done.completionTokens, from_cache: false },
        model: { id: this.model.id, kind: this.model.kind },
        timings: {
          preprocess_ms: connected - started,
          inference_ms: finished - connected,
          postprocess_ms: 0,
          ...(done.firstTokenMs !== undefined ? { first_token_ms: done.firstTokenMs } : {}),
          prompt_tokens: done.promptTokens,
          completion_tokens: done.completionTokens,
          tokens_per_s: Math.round(tokensPerSecond * 10) / 10,
        },
      };
    } catch (error) {
      if (error instanceof LlamaGenerationError && error.badInput) throw new ModelInputError(error.message);
      throw error;
    }
  }

  close(): Promise<void> {
    return this.thread.close();
  }

  private open(): LlamaConnection {
    const { manifest, dir, executionProvider, threads = defaultLlamaThreads(), contextSize = DEFAULT_LLAMA_CONTEXT_SIZE } = this.options;
    const gguf = manifest.files.find((file) => file.name.endsWith('.gguf'));
    if (!gguf) throw new Error(`${manifest.id}: manifest lists no .gguf file`);
    const entry = this.options.threadEntry ?? path.join(__dirname, 'llama-thread.js');
    return new LlamaConnection(entry, { modelPath: path.join(dir, gguf.name), gpu: executionProvider === 'cuda', threads, contextSize }, manifest.id);
  }

  private async prepare(connection: LlamaConnection): Promise<void> {
    const ready = await connection.ready;
    if (ready.fallbackReason) {
      this.options.log?.(`llama.cpp CUDA unavailable, using the CPU`, { model: this.model.id, reason: ready.fallbackReason });
    }
    this.provider = ready.gpu === 'cuda' ? 'cuda' : 'cpu';
  }
}
