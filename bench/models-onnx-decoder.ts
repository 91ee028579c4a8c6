import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { readDecoderConfig } from '../src/models/text-generation/onnx/decoder-config';
import { decoderFeeds, nextPast } from '../src/models/text-generation/onnx/decoder-feeds';
import { argmax } from '../src/models/text-generation/onnx/sampler';
import { OnnxDecoderGenerator } from '../src/models/text-generation/onnx/onnx-decoder-generator';
import type { WireTensors } from '../src/models/threads/session-protocol';
import { BpeTokenizer } from '../src/models/text-generation/onnx/bpe-tokenizer';
import { chatPrompt } from '../src/models/text-generation/onnx/chat-prompt';
import { tinyDecoderReference, TINY_DECODER, writeTinyDecoder } from '../test/harness/tiny-decoder';
import { median, round, timeRuns, type ModelBenchPart } from './model-bench';

const MAX_TOKENS = 256;

/** The prompt (of a few hundred candidates) after which the graph runs longest before its end token. */
async function longestRunningPrompt(dir: string): Promise<string> {
  const tokenizer = await BpeTokenizer.fromFile(path.join(dir, 'tokenizer.json'));
  const length = (prompt: string): number =>
    tinyDecoderReference(tokenizer.encode(chatPrompt([{ role: 'user', content: prompt }], (t) => tokenizer.tokenId(t) !== undefined)), MAX_TOKENS).length;
  const candidates = Array.from({ length: 500 }, (_, i) => `robot command ${i}`);
  return candidates.reduce((best, prompt) => (length(prompt) > length(best) ? prompt : best));
}

/**
 * The ONNX decoder loop on the generated test graph (kind test-graph: no ONNX language model ships
 * in a registry package): per generated token, bare session.run on this thread with the same feeds vs
 * the generator (a session-thread round trip per token). The graph computes almost nothing, so this
 * is the loop's own overhead per token.
 */
export const benchOnnxDecoder: ModelBenchPart = {
  name: 'onnx_decoder_test_graph',
  manifests: [],
  async run({ runs, log }) {
    const dir = await writeTinyDecoder(path.join(await mkdtemp(path.join(tmpdir(), 'offload-bench-decoder-')), 'model'));
    try {
      const prompt = await longestRunningPrompt(dir);
      const generator = await OnnxDecoderGenerator.load({ dir, executionProvider: 'cpu' });
      const viaGenerator = await timeRuns(runs, () => generator.generate({ prompt, temperature: 0, max_tokens: MAX_TOKENS }));
      await generator.close();
      const tokens = viaGenerator.last.timings.completion_tokens;
      const promptTokens = viaGenerator.last.timings.prompt_tokens;

      const config = await readDecoderConfig(dir);
      const session = await ort.InferenceSession.create(path.join(dir, 'model.onnx'), { executionProviders: ['cpu'], intraOpNumThreads: 1 });
      const inputNames = [...session.inputNames];
      const toOrt = (feeds: WireTensors) => Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, new ort.Tensor(t.type, t.data as Float32Array, t.dims)]));
      const fromOrt = (outputs: ort.InferenceSession.OnnxValueMapType): WireTensors =>
        Object.fromEntries(Object.entries(outputs).map(([name, t]) => [name, { type: t.type as 'float32', data: t.data as Float32Array, dims: [...t.dims] }]));
      const bare = await timeRuns(runs, async () => {
        let tokensIn: number[] = Array.from({ length: promptTokens }, () => TINY_DECODER.imStart);
        let past: WireTensors | undefined;
        let pastLength = 0;
        for (let step = 0; step < tokens; step++) {
          const outputs = fromOrt(await session.run(toOrt(decoderFeeds(config, inputNames, tokensIn, pastLength, past))));
          pastLength += tokensIn.length;
          const logits = outputs.logits.data as Float32Array;
          tokensIn = [argmax(logits.subarray(logits.length - TINY_DECODER.vocabSize))];
          past = nextPast(inputNames, outputs);
        }
      });
      await session.release();
      const bareMs = median(bare.ms);
      const generatorMs = median(viaGenerator.ms);
      log(`${tokens} tokens after a ${promptTokens}-token prompt: bare loop ${bareMs.toFixed(1)} ms, generator ${generatorMs.toFixed(1)} ms`);
      return {
        kind: 'test-graph',
        prompt_tokens: promptTokens,
        completion_tokens: tokens,
        bare_ort_ms: round(bareMs, 1),
        bare_ms_per_token: round(bareMs / tokens, 3),
        runtime_ms: round(generatorMs, 1),
        runtime_ms_per_token: round(generatorMs / tokens, 3),
        runtime_tokens_per_s: round((tokens / generatorMs) * 1000, 0),
        runtime_over_bare_ratio: round(generatorMs / bareMs, 2),
      };
    } finally {
      await rm(path.dirname(dir), { recursive: true, force: true });
    }
  },
};
