import { GraphBuilder, floatAttr, int, ints } from './graph-builder';
import { modelProto, OnnxType, type ValueSpec } from './onnx-proto';

/**
 * Whisper weights named as CTranslate2's WhisperSpec names them (linear weights [out, in],
 * self-attention q/k/v fused in `linear_0`, cross-attention k/v fused in `attention/linear_1`).
 */
export interface WhisperWeights {
  tensor(name: string): { dims: number[]; data: Float32Array };
  encoderLayers: number;
  decoderLayers: number;
  encoderHeads: number;
  decoderHeads: number;
}

/** How the graphs are built. */
export interface WhisperGraphOptions {
  /**
   * The encoder takes any even number of mel frames up to 3000 (its position encodings cut to fit),
   * and the decoder encoder states of any length: short speech can be encoded in a window shorter
   * than 30 s. Off: exactly 3000 frames, as Hugging Face's export.
   */
  shortWindows?: boolean;
}

const LAYER_NORM_EPSILON = 1e-5;
const MASKED = -1e9;
const PRODUCER = 'offload whisper export';

/**
 * The encoder in the standard (Hugging Face optimum) export layout:
 * `input_features` [batch, mels, 3000] → `last_hidden_state` [batch, 1500, d_model] (with
 * `shortWindows`, [batch, mels, frames] → [batch, frames / 2, d_model]).
 */
export function buildEncoder(weights: WhisperWeights, options: WhisperGraphOptions = {}): Uint8Array {
  const g = new WeightGraph(weights, 'encoder/');
  const [dModel, mels] = weights.tensor('encoder/conv1/weight').dims;
  const conv = (input: string, name: string, stride: number): string =>
    g.gelu(
      g.b.op1('Conv', [input, g.weight(`${name}/weight`), g.weight(`${name}/bias`)], {
        kernel_shape: ints([3]),
        pads: ints([1, 1]),
        strides: ints([stride]),
      }),
    );
  let x = conv(conv('input_features', 'conv1', 1), 'conv2', 2);
  x = g.b.op1('Transpose', [x], { perm: ints([0, 2, 1]) });
  let positions = g.weight('position_encodings/encodings');
  if (options.shortWindows) {
    const length = g.b.op1('Slice', [g.b.op1('Shape', [x]), g.b.int64([1]), g.b.int64([2])]);
    positions = g.b.op1('Slice', [positions, g.b.int64([0]), length, g.b.int64([0])]);
  }
  x = g.b.op1('Add', [x, positions]);
  for (let layer = 0; layer < weights.encoderLayers; layer++) {
    const prefix = `layer_${layer}`;
    const h = g.layerNorm(x, `${prefix}/self_attention/layer_norm`);
    const [q, k, v] = g.b.op('Split', [g.linear(h, `${prefix}/self_attention/linear_0`), g.b.int64([dModel, dModel, dModel])], { axis: int(2) }, 3);
    const heads = weights.encoderHeads;
    const attended = g.attention(g.splitHeads(q, heads, dModel), g.splitHeads(k, heads, dModel), g.splitHeads(v, heads, dModel), dModel / heads);
    x = g.b.op1('Add', [x, g.linear(g.mergeHeads(attended, dModel), `${prefix}/self_attention/linear_1`)]);
    x = g.feedForward(x, `${prefix}/ffn`);
  }
  g.layerNorm(x, 'layer_norm', 'last_hidden_state');
  const frames = weights.tensor('encoder/position_encodings/encodings').dims[0];
  return modelProto(
    g.b.graph(
      'whisper_encoder',
      [{ name: 'input_features', type: OnnxType.float, dims: ['batch_size', mels, options.shortWindows ? 'feature_frames' : frames * 2] }],
      [{ name: 'last_hidden_state', type: OnnxType.float, dims: ['batch_size', options.shortWindows ? 'encoder_sequence_length' : frames, dModel] }],
    ),
    PRODUCER,
  );
}

/** Names of the merged decoder's cache inputs/outputs for one layer, as optimum exports them. */
export function cacheNames(layer: number, kind: 'past_key_values' | 'present'): { decoderKey: string; decoderValue: string; encoderKey: string; encoderValue: string } {
  return {
    decoderKey: `${kind}.${layer}.decoder.key`,
    decoderValue: `${kind}.${layer}.decoder.value`,
    encoderKey: `${kind}.${layer}.encoder.key`,
    encoderValue: `${kind}.${layer}.encoder.value`,
  };
}

/**
 * The merged decoder (optimum's `decoder_model_merged.onnx` interface): `input_ids`, `encoder_hidden_states`,
 * `past_key_values.{i}.{decoder,encoder}.{key,value}` and `use_cache_branch` → `logits` and `present.*`.
 * Without the cache branch the cross-attention keys/values are computed from the encoder states;
 * with it they are passed through from `past_key_values.*.encoder.*`.
 */
export function buildDecoder(weights: WhisperWeights, options: WhisperGraphOptions = {}): Uint8Array {
  const g = new WeightGraph(weights, 'decoder/');
  const [vocab, dModel] = weights.tensor('decoder/embeddings/weight').dims;
  const heads = weights.decoderHeads;
  const headDim = dModel / heads;
  const b = g.b;

  const pastLength = b.op1('Gather', [b.op1('Shape', [cacheNames(0, 'past_key_values').decoderKey]), b.int64([2], true)], { axis: int(0) });
  const newLength = b.op1('Gather', [b.op1('Shape', ['input_ids']), b.int64([1], true)], { axis: int(0) });
  const totalLength = b.op1('Add', [pastLength, newLength]);
  const positions = b.op1('Range', [pastLength, totalLength, b.int64([1], true)]);
  let x = b.op1('Add', [
    b.op1('Gather', [g.weight('embeddings/weight'), 'input_ids'], { axis: int(0) }),
    b.op1('Gather', [g.weight('position_encodings/encodings'), positions], { axis: int(0) }),
  ]);
  const allowed = b.op1('LessOrEqual', [
    b.op1('Range', [b.int64([0], true), totalLength, b.int64([1], true)]),
    b.op1('Unsqueeze', [positions, b.int64([1])]),
  ]);
  const causalMask = b.op1('Where', [allowed, b.float(0), b.float(MASKED)]);

  const crossCache = crossAttentionCache(g, dModel, heads);
  for (let layer = 0; layer < weights.decoderLayers; layer++) {
    const prefix = `layer_${layer}`;
    const past = cacheNames(layer, 'past_key_values');
    const present = cacheNames(layer, 'present');
    let h = g.layerNorm(x, `${prefix}/self_attention/layer_norm`);
    const [q, k, v] = b.op('Split', [g.linear(h, `${prefix}/self_attention/linear_0`), b.int64([dModel, dModel, dModel])], { axis: int(2) }, 3);
    const keys = b.op1('Concat', [past.decoderKey, g.splitHeads(k, heads, dModel)], { axis: int(2) }, present.decoderKey);
    const values = b.op1('Concat', [past.decoderValue, g.splitHeads(v, heads, dModel)], { axis: int(2) }, present.decoderValue);
    const selfAttended = g.attention(g.splitHeads(q, heads, dModel), keys, values, headDim, causalMask);
    x = b.op1('Add', [x, g.linear(g.mergeHeads(selfAttended, dModel), `${prefix}/self_attention/linear_1`)]);

    h = g.layerNorm(x, `${prefix}/attention/layer_norm`);
    const crossQuery = g.splitHeads(g.linear(h, `${prefix}/attention/linear_0`), heads, dModel);
    const crossAttended = g.attention(crossQuery, crossCache[layer].key, crossCache[layer].value, headDim);
    x = b.op1('Add', [x, g.linear(g.mergeHeads(crossAttended, dModel), `${prefix}/attention/linear_2`)]);
    x = g.feedForward(x, `${prefix}/ffn`);
  }
  x = g.layerNorm(x, 'layer_norm');
  const flat = b.op1('Reshape', [x, b.int64([-1, dModel])]);
  const scores = b.op1('Gemm', [flat, g.weight('embeddings/weight')], { transB: int(1) });
  const logitsShape = b.op1('Concat', [b.op1('Shape', ['input_ids']), b.int64([vocab])], { axis: int(0) });
  b.op1('Reshape', [scores, logitsShape], undefined, 'logits');

  const cacheSpec = (name: string, length: string | number): ValueSpec => ({ name, type: OnnxType.float, dims: ['batch_size', heads, length, headDim] });
  const frames = weights.tensor('encoder/position_encodings/encodings').dims[0];
  const inputs: ValueSpec[] = [
    { name: 'input_ids', type: OnnxType.int64, dims: ['batch_size', 'decoder_sequence_length'] },
    { name: 'encoder_hidden_states', type: OnnxType.float, dims: ['batch_size', options.shortWindows ? 'encoder_sequence_length' : frames, dModel] },
  ];
  const outputs: ValueSpec[] = [{ name: 'logits', type: OnnxType.float, dims: ['batch_size', 'decoder_sequence_length', vocab] }];
  for (let layer = 0; layer < weights.decoderLayers; layer++) {
    const past = cacheNames(layer, 'past_key_values');
    const present = cacheNames(layer, 'present');
    inputs.push(
      cacheSpec(past.decoderKey, 'past_decoder_sequence_length'),
      cacheSpec(past.decoderValue, 'past_decoder_sequence_length'),
      cacheSpec(past.encoderKey, 'encoder_sequence_length_out'),
      cacheSpec(past.encoderValue, 'encoder_sequence_length_out'),
    );
    outputs.push(
      cacheSpec(present.decoderKey, 'past_decoder_sequence_length + 1'),
      cacheSpec(present.decoderValue, 'past_decoder_sequence_length + 1'),
      cacheSpec(present.encoderKey, 'encoder_sequence_length_out'),
      cacheSpec(present.encoderValue, 'encoder_sequence_length_out'),
    );
  }
  inputs.push({ name: 'use_cache_branch', type: OnnxType.bool, dims: [1] });
  return modelProto(b.graph('whisper_decoder_merged', inputs, outputs), PRODUCER);
}

/** One If node: with `use_cache_branch` the cross-attention cache passes through, else it is computed from the encoder states. */
function crossAttentionCache(g: WeightGraph, dModel: number, heads: number): { key: string; value: string }[] {
  const layers = g.weights.decoderLayers;
  const useCache = new GraphBuilder('cached/');
  const compute = new GraphBuilder('computed/');
  const computeGraph = new WeightGraph(g.weights, 'decoder/', compute, g.b);
  const branchOutputs = (builder: GraphBuilder, name: string, values: string[]) =>
    builder.graph(
      name,
      [],
      values.map((value) => ({ name: value, type: OnnxType.float })),
    );
  const cached: string[] = [];
  const computed: string[] = [];
  for (let layer = 0; layer < layers; layer++) {
    const past = cacheNames(layer, 'past_key_values');
    cached.push(useCache.op1('Identity', [past.encoderKey]), useCache.op1('Identity', [past.encoderValue]));
    const kv = computeGraph.linear('encoder_hidden_states', `layer_${layer}/attention/linear_1`);
    const [k, v] = compute.op('Split', [kv, compute.int64([dModel, dModel])], { axis: int(2) }, 2);
    computed.push(computeGraph.splitHeads(k, heads, dModel), computeGraph.splitHeads(v, heads, dModel));
  }
  const outputs = Array.from({ length: layers }, (_, layer) => {
    const present = cacheNames(layer, 'present');
    return [present.encoderKey, present.encoderValue];
  }).flat();
  g.b.op(
    'If',
    ['use_cache_branch'],
    {
      then_branch: { kind: 'graph', value: branchOutputs(useCache, 'use_cache', cached) },
      else_branch: { kind: 'graph', value: branchOutputs(compute, 'compute_cross_cache', computed) },
    },
    outputs,
  );
  return Array.from({ length: layers }, (_, layer) => ({ key: outputs[2 * layer], value: outputs[2 * layer + 1] }));
}

/** Transformer pieces over one builder; weights become initializers of `weightOwner` (the top graph) once each. */
class WeightGraph {
  private readonly added = new Set<string>();

  constructor(
    readonly weights: WhisperWeights,
    private readonly scope: string,
    readonly b: GraphBuilder = new GraphBuilder(),
    private readonly weightOwner: GraphBuilder = b,
  ) {}

  /** A weight as stored; `transposed` turns a [out, in] linear weight into MatMul's [in, out]. */
  weight(name: string, transposed = false): string {
    const full = `${this.scope}${name}`;
    const initializerName = transposed ? `${full}/transposed` : full;
    if (!this.added.has(initializerName)) {
      const { dims, data } = this.weights.tensor(full);
      if (transposed) this.weightOwner.initializer(initializerName, [dims[1], dims[0]], { type: 'float', data: transpose(data, dims[0], dims[1]) });
      else this.weightOwner.initializer(initializerName, dims, { type: 'float', data });
      this.added.add(initializerName);
    }
    return initializerName;
  }

  linear(x: string, name: string): string {
    return this.b.op1('Add', [this.b.op1('MatMul', [x, this.weight(`${name}/weight`, true)]), this.weight(`${name}/bias`)]);
  }

  layerNorm(x: string, name: string, output?: string): string {
    return this.b.op1('LayerNormalization', [x, this.weight(`${name}/gamma`), this.weight(`${name}/beta`)], { axis: int(-1), epsilon: floatAttr(LAYER_NORM_EPSILON) }, output);
  }

  /** Exact (erf) GELU, written the way onnxruntime's Gelu fusion recognises it. */
  gelu(x: string): string {
    const erf = this.b.op1('Erf', [this.b.op1('Div', [x, this.b.float(Math.SQRT2)])]);
    return this.b.op1('Mul', [this.b.op1('Mul', [x, this.b.op1('Add', [erf, this.b.float(1)])]), this.b.float(0.5)]);
  }

  feedForward(x: string, name: string): string {
    const h = this.layerNorm(x, `${name}/layer_norm`);
    return this.b.op1('Add', [x, this.linear(this.gelu(this.linear(h, `${name}/linear_0`)), `${name}/linear_1`)]);
  }

  /** [batch, time, d_model] → [batch, heads, time, head_dim]. */
  splitHeads(x: string, heads: number, dModel: number): string {
    const reshaped = this.b.op1('Reshape', [x, this.b.int64([0, 0, heads, dModel / heads])]);
    return this.b.op1('Transpose', [reshaped], { perm: ints([0, 2, 1, 3]) });
  }

  /** [batch, heads, time, head_dim] → [batch, time, d_model]. */
  mergeHeads(x: string, dModel: number): string {
    const transposed = this.b.op1('Transpose', [x], { perm: ints([0, 2, 1, 3]) });
    return this.b.op1('Reshape', [transposed, this.b.int64([0, 0, dModel])]);
  }

  /** softmax(q kᵀ / √d + mask) v over [batch, heads, time, head_dim] tensors. */
  attention(q: string, k: string, v: string, headDim: number, mask?: string): string {
    const keysT = this.b.op1('Transpose', [k], { perm: ints([0, 1, 3, 2]) });
    let scores = this.b.op1('Mul', [this.b.op1('MatMul', [q, keysT]), this.b.float(1 / Math.sqrt(headDim))]);
    if (mask) scores = this.b.op1('Add', [scores, mask]);
    return this.b.op1('MatMul', [this.b.op1('Softmax', [scores], { axis: int(-1) }), v]);
  }
}

function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}
