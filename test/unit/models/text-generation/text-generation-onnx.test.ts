import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createModelRuntime, ModelInputError, type ModelRuntime } from '../../../../src/models';
import { BpeTokenizer } from '../../../../src/models/text-generation/onnx/bpe-tokenizer';
import { chatPrompt } from '../../../../src/models/text-generation/onnx/chat-prompt';
import { OnnxDecoderGenerator } from '../../../../src/models/text-generation/onnx/onnx-decoder-generator';
import { tinyDecoderReference, TINY_DECODER, writeTinyDecoder } from '../../../harness/tiny-decoder';
import { removeTempDirs, tempDir } from '../../../harness/model-test-env';

let dir: string;
let generator: OnnxDecoderGenerator;
let tokenizer: BpeTokenizer;

/** What the graph answers to `prompt` (as a single user message) when the loop is right. */
function expected(prompt: string, maxTokens: number): { ids: number[]; text: string; promptTokens: number } {
  const promptIds = tokenizer.encode(chatPrompt([{ role: 'user', content: prompt }], (t) => tokenizer.tokenId(t) !== undefined));
  const ids = tinyDecoderReference(promptIds, maxTokens);
  return { ids, text: tokenizer.decode(ids.filter((id) => id !== TINY_DECODER.eos)), promptTokens: promptIds.length };
}

beforeAll(async () => {
  dir = await writeTinyDecoder(path.join(await tempDir('tiny-decoder'), 'model'));
  tokenizer = await BpeTokenizer.fromFile(path.join(dir, 'tokenizer.json'));
  generator = await OnnxDecoderGenerator.load({ dir, executionProvider: 'cpu' });
});

afterAll(async () => {
  await generator?.close();
  await removeTempDirs();
});

describe('ONNX decoder-only generation with a KV cache (on a generated test graph)', () => {
  test('greedy decoding follows the graph step by step through its cache, and says it is a test graph', async () => {
    const want = expected('hello robot', 64);
    expect(want.ids[want.ids.length - 1]).toBe(TINY_DECODER.eos);
    const output = await generator.generate({ prompt: 'hello robot', temperature: 0, max_tokens: 64 });
    expect(output.result).toEqual({ text: want.text, tokens_used: want.promptTokens + want.ids.length, from_cache: false });
    expect(want.text.length).toBeGreaterThan(5);
    expect(output.model).toEqual({ id: TINY_DECODER.id, kind: 'test-graph' });
    expect(output.timings).toMatchObject({ prompt_tokens: want.promptTokens, completion_tokens: want.ids.length });
    console.log(`tiny decoder: "${output.result.text}" (${output.timings.completion_tokens} tokens, ${output.timings.tokens_per_s} tokens/s)`);
  });

  test('tokens stream in order and add up to the text', async () => {
    const pieces: string[] = [];
    const output = await generator.generate({ prompt: 'stream me', temperature: 0 }, { onToken: (piece) => pieces.push(piece) });
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(output.result.text);
  });

  test('max_tokens ends generation', async () => {
    const want = expected('hello robot', 4);
    const output = await generator.generate({ prompt: 'hello robot', temperature: 0, max_tokens: 4 });
    expect(output.result.text).toBe(want.text);
    expect(output.result.text).toHaveLength(4);
  });

  test('a stop sequence ends the text just before it and is not streamed', async () => {
    const full = expected('hello robot', 64).text;
    const stop = full.slice(5, 7);
    const pieces: string[] = [];
    const output = await generator.generate({ prompt: 'hello robot', temperature: 0, stop: ['zzz', stop] }, { onToken: (p) => pieces.push(p) });
    expect(output.result.text).toBe(full.slice(0, full.indexOf(stop)));
    expect(pieces.join('')).toBe(output.result.text);
  });

  test('top_p below the leading token probability samples it alone; the system prompt and context reach the prompt', async () => {
    const greedy = await generator.generate({ prompt: 'hello', system_prompt: 'be nice', temperature: 0, max_tokens: 12 });
    const nucleus = await generator.generate({ prompt: 'hello', system_prompt: 'be nice', temperature: 1, top_p: 0.5, max_tokens: 12 });
    expect(nucleus.result.text).toBe(greedy.result.text);
    const other = await generator.generate({ prompt: 'hello', system_prompt: 'be rude', temperature: 0, max_tokens: 12 });
    expect(other.result.text).not.toBe(greedy.result.text);
  });

  test('an aborted signal stops the loop between steps', async () => {
    const controller = new AbortController();
    let pieces = 0;
    await expect(
      generator.generate({ prompt: 'hello robot', temperature: 0, max_tokens: 64 }, { signal: controller.signal, onToken: () => ++pieces === 2 && controller.abort() }),
    ).rejects.toThrow(/abort/i);
    expect(pieces).toBe(2);
  });

  test('a prompt longer than the model positions is ModelInputError', async () => {
    await expect(generator.generate({ prompt: 'x '.repeat(400), max_tokens: 200 })).rejects.toThrow(ModelInputError);
    await expect(generator.generate({ prompt: 'x '.repeat(400), max_tokens: 200 })).rejects.toThrow(/exceeds the model's 512 positions/);
  });

  test('a directory that is not a decoder export is refused with what is missing', async () => {
    const empty = await tempDir('not-a-decoder');
    await expect(OnnxDecoderGenerator.load({ dir: empty, executionProvider: 'cpu' })).rejects.toThrow(/has no config.json/);
    await writeFile(path.join(empty, 'config.json'), JSON.stringify({ num_hidden_layers: 2 }));
    await expect(OnnxDecoderGenerator.load({ dir: empty, executionProvider: 'cpu' })).rejects.toThrow(/config.json: num_attention_heads: Required/);
  });
});

describe('OFFLOAD_TEXT_PROVIDER=onnx in the model runtime', () => {
  let runtime: ModelRuntime;

  beforeAll(async () => {
    runtime = await createModelRuntime({
      modelDir: await tempDir('no-models'),
      hardware: 'cpu',
      executionProvider: 'cpu',
      textGeneration: { provider: 'onnx', onnxDir: dir },
    });
  });

  afterAll(async () => {
    await runtime?.close();
  });

  test('serves text.generate from the ONNX export, behind the response cache', async () => {
    expect(runtime.serves('text.generate')).toBe(true);
    expect(runtime.installed()).toEqual([expect.objectContaining({ id: TINY_DECODER.id, kind: 'test-graph' })]);
    const first = await runtime.generate({ prompt: 'cache me', temperature: 0, max_tokens: 8 });
    const second = await runtime.generate({ prompt: 'cache me', temperature: 0, max_tokens: 8 });
    expect(first.result.from_cache).toBe(false);
    expect(second.result).toEqual({ ...first.result, from_cache: true });
  });
});
