import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { GenerationResult } from '../../../shared/model-results';
import type { GeneratePayload } from '../../../shared/task';
import { SessionHost } from '../../threads/session-host';
import type { WireTensors } from '../../threads/session-protocol';
import { ModelInputError } from '../../registry/model-errors';
import type { ExecutionProvider, GenerateOptions, InferenceOutput, InstalledModel, TextGenerator } from '../../registry/model-capabilities';
import { generationParams } from '../generation-params';
import { StopSequenceStream } from '../stop-sequence-stream';
import { BpeTokenizer } from './bpe-tokenizer';
import { chatPrompt } from './chat-prompt';
import { readDecoderConfig, type DecoderConfig } from './decoder-config';
import { cacheNames, decoderFeeds, nextPast } from './decoder-feeds';
import { sampleToken } from './sampler';

export interface OnnxDecoderGeneratorOptions {
  /** A decoder-only export: model.onnx (inputs input_ids, attention_mask, [position_ids], past_key_values.N.key|value; outputs logits, present.N.key|value), tokenizer.json, config.json. */
  dir: string;
  executionProvider: ExecutionProvider;
  /** onnxruntime intra-op threads (default 1). */
  intraOpThreads?: number;
  /** Random numbers in [0, 1) for sampling (default Math.random). */
  random?: () => number;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/**
 * Text generation from a decoder-only ONNX model with a KV cache: the session runs in a thread,
 * this loop tokenizes, feeds the cache back step by step, samples (temperature, top-p), streams
 * text, and stops at max tokens, an end-of-sequence token, a stop sequence or an aborted signal.
 */
export class OnnxDecoderGenerator implements TextGenerator {
  private constructor(
    readonly model: InstalledModel,
    private readonly host: SessionHost,
    private readonly tokenizer: BpeTokenizer,
    private readonly config: DecoderConfig,
    private readonly eos: Set<number>,
    private readonly random: () => number,
  ) {}

  static async load(options: OnnxDecoderGeneratorOptions): Promise<OnnxDecoderGenerator> {
    const { dir } = options;
    const config = await readDecoderConfig(dir);
    const tokenizer = await BpeTokenizer.fromFile(path.join(dir, 'tokenizer.json'));
    const imEnd = tokenizer.tokenId('<|im_end|>');
    const eos = new Set([...config.eosTokenIds, ...(imEnd !== undefined ? [imEnd] : [])]);
    if (eos.size === 0) throw new Error(`${dir}: no end-of-sequence token (eos_token_id in config.json or generation_config.json)`);
    const host = await SessionHost.start({
      name: config.id,
      modelPath: path.join(dir, 'model.onnx'),
      executionProvider: options.executionProvider,
      intraOpThreads: options.intraOpThreads,
      warmupFeeds: (inputNames) => decoderFeeds(config, inputNames, [[...eos][0]], 0, undefined),
      log: options.log,
    });
    const missing = ['input_ids', 'attention_mask'].filter((name) => !host.inputNames.includes(name));
    const layers = cacheNames(host.inputNames).length / 2;
    if (missing.length > 0 || !host.outputNames.includes('logits') || layers !== config.layers) {
      await host.close();
      throw new Error(
        `${dir}/model.onnx is not a decoder with a KV cache for ${config.layers} layers: inputs ${host.inputNames.join(', ')}; outputs ${host.outputNames.join(', ')}`,
      );
    }
    const model: InstalledModel = { id: config.id, taskTypes: ['text.generate'], kind: config.kind, dir };
    return new OnnxDecoderGenerator(model, host, tokenizer, config, eos, options.random ?? Math.random);
  }

  get executionProvider(): ExecutionProvider {
    return this.host.executionProvider;
  }

  async generate(request: GeneratePayload, options: GenerateOptions = {}): Promise<InferenceOutput<GenerationResult>> {
    const params = generationParams(request);
    const started = performance.now();
    const promptIds = this.tokenizer.encode(chatPrompt(params.messages, (token) => this.tokenizer.tokenId(token) !== undefined));
    if (promptIds.length + params.maxTokens > this.config.maxPositions) {
      throw new ModelInputError(
        `the prompt is ${promptIds.length} tokens; with max_tokens ${params.maxTokens} it exceeds the model's ${this.config.maxPositions} positions`,
      );
    }
    const preprocessed = performance.now();
    const utf8 = new TextDecoder('utf-8');
    const text = new StopSequenceStream(params.stop, (piece) => options.onToken?.(piece));
    const inputNames = this.host.inputNames;
    let past: WireTensors | undefined;
    let pastLength = 0;
    let tokens = promptIds;
    let generated = 0;
    let firstTokenMs: number | undefined;
    while (generated < params.maxTokens) {
      options.signal?.throwIfAborted();
      const outputs = await this.host.run(decoderFeeds(this.config, inputNames, tokens, pastLength, past));
      pastLength += tokens.length;
      const next = sampleToken(lastLogits(outputs), params.temperature, params.topP, this.random);
      generated++;
      firstTokenMs ??= performance.now() - preprocessed;
      if (this.eos.has(next)) break;
      if (text.push(utf8.decode(this.tokenizer.tokenBytes(next), { stream: true }))) break;
      past = nextPast(inputNames, outputs);
      tokens = [next];
    }
    if (!text.stopped) text.push(utf8.decode());
    const answer = text.finish();
    const finished = performance.now();
    return {
      result: { text: answer, tokens_used: promptIds.length + generated, from_cache: false },
      model: { id: this.model.id, kind: this.model.kind },
      timings: {
        preprocess_ms: preprocessed - started,
        inference_ms: finished - preprocessed,
        postprocess_ms: 0,
        ...(firstTokenMs !== undefined ? { first_token_ms: firstTokenMs } : {}),
        prompt_tokens: promptIds.length,
        completion_tokens: generated,
        tokens_per_s: Math.round((generated / Math.max((finished - preprocessed) / 1000, 1e-6)) * 10) / 10,
      },
    };
  }

  close(): Promise<void> {
    return this.host.close();
  }
}

/** The logits of the last position: the model's guess for the next token. */
function lastLogits(outputs: WireTensors): Float32Array {
  const logits = outputs.logits;
  if (logits?.type !== 'float32') throw new Error(`decoder: expected float32 logits, got ${logits?.type}`);
  const vocab = logits.dims[logits.dims.length - 1];
  const data = logits.data as Float32Array;
  return data.subarray(data.length - vocab);
}
