import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BYTE_TO_UNICODE } from '../../src/models/text-generation/onnx/byte-level';
import { onnxModel, type OnnxNode, type OnnxTensor } from './onnx-writer';

/**
 * A test graph with the inputs and outputs of a decoder-only export with a KV cache (2 layers,
 * 1 head of 4), and a byte-level BPE tokenizer: no language model ships as ONNX in a registry
 * package, so the ONNX generation loop is tested on this. Its "language": after a sequence of L
 * tokens whose ids sum to S, the next token is r = (S + L² + last position + sum(attention mask))
 * mod 27: the letter 'a' + r, or end-of-sequence when r = 26. The sum and the length come from
 * the cache it is given, so a loop that drops or misfeeds the cache, positions or mask gets
 * different letters than `tinyDecoderReference`.
 */
export const TINY_DECODER = {
  id: 'tiny-decoder-test-graph',
  layers: 2,
  headDim: 4,
  eos: 259,
  imStart: 260,
  imEnd: 261,
  vocabSize: 262,
  /** Logits of the chosen token vs every other one. */
  logitOn: 4,
  logitOff: -4,
} as const;

const LETTER_A = 97;
const CYCLE = 27;

/** The token ids the graph produces after `promptIds` when the loop feeds it correctly (greedy). */
export function tinyDecoderReference(promptIds: number[], maxTokens: number): number[] {
  const sequence = [...promptIds];
  const out: number[] = [];
  while (out.length < maxTokens) {
    const length = sequence.length;
    const sum = sequence.reduce((total, id) => total + id, 0);
    const r = (sum + length * length + (length - 1) + length) % CYCLE;
    const next = r === CYCLE - 1 ? TINY_DECODER.eos : LETTER_A + r;
    out.push(next);
    if (next === TINY_DECODER.eos) break;
    sequence.push(next);
  }
  return out;
}

function tinyTokenizer(): unknown {
  const vocab: Record<string, number> = {};
  BYTE_TO_UNICODE.forEach((char, byte) => {
    vocab[char] = byte;
  });
  Object.assign(vocab, { he: 256, ll: 257, hell: 258 });
  const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  return {
    version: '1.0',
    added_tokens: [special(TINY_DECODER.eos, '<|endoftext|>'), special(TINY_DECODER.imStart, '<|im_start|>'), special(TINY_DECODER.imEnd, '<|im_end|>')],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: null,
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: null, vocab, merges: ['h e', 'l l', 'he ll'] },
  };
}

function tinyGraph(): Uint8Array {
  const { layers, headDim, vocabSize, eos } = TINY_DECODER;
  const embedding: number[] = [];
  for (let id = 0; id < vocabSize; id++) embedding.push(1, id, 0, 0);
  const scalar = (name: string, value: number): OnnxTensor & { name: string } => ({ name, type: 'int64', dims: [], values: [value] });
  const nodes: OnnxNode[] = [
    { op: 'Gather', inputs: ['embedding', 'input_ids'], outputs: ['x'], attributes: { axis: 0 } },
    { op: 'Unsqueeze', inputs: ['x', 'head_axis'], outputs: ['kx'] },
  ];
  for (let layer = 0; layer < layers; layer++) {
    for (const kind of ['key', 'value']) {
      nodes.push({ op: 'Concat', inputs: [`past_key_values.${layer}.${kind}`, 'kx'], outputs: [`present.${layer}.${kind}`], attributes: { axis: 2 } });
    }
  }
  nodes.push(
    { op: 'ReduceSum', inputs: ['present.0.key', 'sequence_axis'], outputs: ['sums'], attributes: { keepdims: 0 } },
    { op: 'Reshape', inputs: ['sums', 'flat_shape'], outputs: ['flat'] },
    { op: 'Gather', inputs: ['flat', 'zero'], outputs: ['length_f'], attributes: { axis: 0 } },
    { op: 'Gather', inputs: ['flat', 'one'], outputs: ['sum_f'], attributes: { axis: 0 } },
    { op: 'Cast', inputs: ['length_f'], outputs: ['length'], attributes: { to: 7 } },
    { op: 'Cast', inputs: ['sum_f'], outputs: ['sum'], attributes: { to: 7 } },
    { op: 'ReduceMax', inputs: ['position_ids'], outputs: ['last_position'], attributes: { keepdims: 0 } },
    { op: 'ReduceSum', inputs: ['attention_mask'], outputs: ['mask_sum'], attributes: { keepdims: 0 } },
    { op: 'Mul', inputs: ['length', 'length'], outputs: ['length_squared'] },
    { op: 'Add', inputs: ['sum', 'length_squared'], outputs: ['t1'] },
    { op: 'Add', inputs: ['t1', 'last_position'], outputs: ['t2'] },
    { op: 'Add', inputs: ['t2', 'mask_sum'], outputs: ['t3'] },
    { op: 'Mod', inputs: ['t3', 'cycle'], outputs: ['r'], attributes: { fmod: 0 } },
    { op: 'Equal', inputs: ['r', 'end_r'], outputs: ['is_end'] },
    { op: 'Add', inputs: ['r', 'letter_a'], outputs: ['letter'] },
    { op: 'Where', inputs: ['is_end', 'eos_id', 'letter'], outputs: ['next'] },
    { op: 'Reshape', inputs: ['next', 'one_by_one'], outputs: ['next_2d'] },
    { op: 'OneHot', inputs: ['next_2d', 'depth', 'on_off'], outputs: ['logits'], attributes: { axis: -1 } },
  );
  const cache = (name: string, total: string) => ({ name, type: 'float32' as const, shape: ['batch', 1, total, headDim] });
  const kinds = ['key', 'value'];
  return onnxModel({
    name: TINY_DECODER.id,
    inputs: [
      { name: 'input_ids', type: 'int64', shape: ['batch', 'sequence'] },
      { name: 'attention_mask', type: 'int64', shape: ['batch', 'total'] },
      { name: 'position_ids', type: 'int64', shape: ['batch', 'sequence'] },
      ...Array.from({ length: layers }, (_, l) => kinds.map((k) => cache(`past_key_values.${l}.${k}`, 'past'))).flat(),
    ],
    outputs: [
      { name: 'logits', type: 'float32', shape: ['batch', 'last', vocabSize] },
      ...Array.from({ length: layers }, (_, l) => kinds.map((k) => cache(`present.${l}.${k}`, 'total'))).flat(),
    ],
    initializers: [
      { name: 'embedding', type: 'float32', dims: [vocabSize, headDim], values: embedding },
      { name: 'head_axis', type: 'int64', dims: [1], values: [1] },
      { name: 'sequence_axis', type: 'int64', dims: [1], values: [2] },
      { name: 'flat_shape', type: 'int64', dims: [1], values: [headDim] },
      { name: 'one_by_one', type: 'int64', dims: [2], values: [1, 1] },
      { name: 'on_off', type: 'float32', dims: [2], values: [TINY_DECODER.logitOff, TINY_DECODER.logitOn] },
      scalar('zero', 0),
      scalar('one', 1),
      scalar('cycle', CYCLE),
      scalar('end_r', CYCLE - 1),
      scalar('letter_a', LETTER_A),
      scalar('eos_id', eos),
      scalar('depth', vocabSize),
    ],
    nodes,
  });
}

/** Writes the graph as a decoder-only export directory: model.onnx, tokenizer.json, config.json, offload-model.json. */
export async function writeTinyDecoder(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const config = {
    model_type: 'tiny-test-decoder',
    num_hidden_layers: TINY_DECODER.layers,
    num_attention_heads: 1,
    num_key_value_heads: 1,
    hidden_size: TINY_DECODER.headDim,
    max_position_embeddings: 512,
    eos_token_id: TINY_DECODER.eos,
  };
  await writeFile(path.join(dir, 'model.onnx'), tinyGraph());
  await writeFile(path.join(dir, 'tokenizer.json'), JSON.stringify(tinyTokenizer()));
  await writeFile(path.join(dir, 'config.json'), JSON.stringify(config, null, 2));
  await writeFile(path.join(dir, 'offload-model.json'), JSON.stringify({ id: TINY_DECODER.id, kind: 'test-graph' }));
  return dir;
}
