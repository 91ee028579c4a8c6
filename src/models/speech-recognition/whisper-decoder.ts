import type { SessionHost } from '../threads/session-host';
import type { WireTensor, WireTensors } from '../threads/session-protocol';
import type { WhisperConfig } from './whisper-config';

/** The key/value cache between decoder steps: `past_key_values.*` tensors by input name. */
export type DecoderCache = Map<string, WireTensor>;

export interface DecoderStep {
  /** Logits of every new position: [batch, positions, vocab] row-major. */
  logits: Float32Array;
  batch: number;
  vocab: number;
  cache: DecoderCache;
}

const PAST_PREFIX = 'past_key_values.';
const PRESENT_PREFIX = 'present.';

/**
 * Runs a Whisper decoder in the standard ONNX export layout: either `decoder_model_merged.onnx`
 * (one session, `use_cache_branch` chooses) or `decoder_model.onnx` + `decoder_with_past_model.onnx`.
 * Each `present.*` output becomes the next step's `past_key_values.*` input; a with-past session that
 * does not output the cross-attention cache keeps the one from the first step.
 */
export class WhisperDecoder {
  constructor(
    private readonly first: SessionHost,
    private readonly withPast: SessionHost,
    private readonly config: WhisperConfig,
  ) {}

  /** Empty cache tensors for the first step (what the merged decoder expects for its past inputs). */
  emptyCache(): DecoderCache {
    const cache: DecoderCache = new Map();
    const headDim = this.config.d_model / this.config.decoder_attention_heads;
    for (const name of this.first.inputNames.filter((input) => input.startsWith(PAST_PREFIX))) {
      cache.set(name, { type: 'float32', data: new Float32Array(0), dims: [1, this.config.decoder_attention_heads, 0, headDim] });
    }
    return cache;
  }

  /**
   * One forward pass over `ids` (the new tokens); `cache` undefined for the first pass. The encoder
   * states are copied into each run, as runs move their feed buffers to the session thread.
   */
  async step(ids: readonly (readonly number[])[], encoderStates: WireTensor, cache: DecoderCache | undefined): Promise<DecoderStep> {
    const batch = ids.length;
    const length = ids[0]?.length ?? 0;
    if (batch === 0 || length === 0 || ids.some((row) => row.length !== length)) throw new Error('whisper decoder step needs one or more rows of new tokens, all of one length');
    const session = cache ? this.withPast : this.first;
    const past = cache ?? this.emptyCache();
    const presentOf = (name: string): string => PRESENT_PREFIX + name.slice(PAST_PREFIX.length);
    const returned = new Set(session.outputNames);
    const feeds: WireTensors = {};
    for (const name of session.inputNames) {
      if (name === 'input_ids') feeds[name] = { type: 'int64', data: BigInt64Array.from(ids.flat().map(BigInt)), dims: [batch, length] };
      else if (name === 'encoder_hidden_states') feeds[name] = { ...encoderStates, data: encoderStates.data.slice() };
      else if (name === 'use_cache_branch') feeds[name] = { type: 'bool', data: Uint8Array.of(cache ? 1 : 0), dims: [1] };
      else if (past.has(name)) {
        const tensor = past.get(name) as WireTensor;
        // A cache entry the session does not give back is kept here, so it is sent as a copy.
        feeds[name] = returned.has(presentOf(name)) ? tensor : { ...tensor, data: tensor.data.slice() };
      } else throw new Error(`whisper decoder input ${name} is not one this runtime knows how to feed`);
    }
    const outputs = await session.run(feeds);
    const logits = outputs.logits;
    if (logits?.type !== 'float32') throw new Error('whisper decoder gave no float32 logits');
    const next: DecoderCache = new Map();
    for (const [name, tensor] of past) if (!returned.has(presentOf(name))) next.set(name, tensor);
    for (const [name, tensor] of Object.entries(outputs)) {
      if (name.startsWith(PRESENT_PREFIX)) next.set(PAST_PREFIX + name.slice(PRESENT_PREFIX.length), tensor);
    }
    return { logits: logits.data as Float32Array, batch, vocab: logits.dims[logits.dims.length - 1], cache: next };
  }

  /**
   * The cache for the next step when row b continues row `sources[b]`: self-attention entries are
   * gathered row by row; cross-attention entries (`*.encoder.*`) are the same in every row, so they
   * stay one row when the decoder broadcasts them, and are otherwise tiled once when the batch
   * grows (the first step runs one row, the beams follow).
   */
  select(cache: DecoderCache, sources: readonly number[]): DecoderCache {
    const next: DecoderCache = new Map();
    for (const [name, tensor] of cache) {
      const rows = tensor.dims[0];
      const identity = rows === sources.length && sources.every((source, index) => source === index);
      if (name.includes('.encoder.')) {
        next.set(name, this.config.cross_attention_cache_broadcasts || rows === sources.length ? tensor : tile(tensor, sources.length));
      } else next.set(name, identity ? tensor : gatherRows(tensor, sources));
    }
    return next;
  }
}

function rowSize(tensor: WireTensor): number {
  return tensor.dims.slice(1).reduce((n, d) => n * d, 1);
}

/** A one-row tensor repeated `rows` times along the batch axis (returned as is for one row). */
function tile(tensor: WireTensor, rows: number): WireTensor {
  if (rows === 1 || tensor.dims[0] === rows) return tensor;
  if (tensor.dims[0] !== 1) throw new Error(`cannot tile a batch of ${tensor.dims[0]} rows to ${rows}`);
  return gatherRows(tensor, new Array<number>(rows).fill(0));
}

function gatherRows(tensor: WireTensor, sources: readonly number[]): WireTensor {
  const size = rowSize(tensor);
  const data = tensor.data as Float32Array;
  const out = new Float32Array(size * sources.length);
  sources.forEach((source, index) => out.set(data.subarray(source * size, (source + 1) * size), index * size));
  return { type: 'float32', data: out, dims: [sources.length, ...tensor.dims.slice(1)] };
}
