import type { WireTensors } from '../../threads/session-protocol';
import type { DecoderConfig } from './decoder-config';

const PAST_INPUT = /^past_key_values\.(\d+)\.(key|value)$/;

/** Names of a decoder-only export's cache tensors: `past_key_values.N.key|value` in, `present.N.key|value` out. */
export function cacheNames(inputNames: string[]): { input: string; output: string }[] {
  return inputNames.flatMap((name) => {
    const match = PAST_INPUT.exec(name);
    return match ? [{ input: name, output: `present.${match[1]}.${match[2]}` }] : [];
  });
}

const int64 = (values: number[]): BigInt64Array => BigInt64Array.from(values, (v) => BigInt(v));

/**
 * Inputs for one decoding step: the new tokens, an attention mask over cache + new tokens, their
 * positions (when the model takes them) and the cache (empty on the first step).
 */
export function decoderFeeds(
  config: DecoderConfig,
  inputNames: string[],
  tokens: number[],
  pastLength: number,
  past: WireTensors | undefined,
): WireTensors {
  const total = pastLength + tokens.length;
  const feeds: WireTensors = {
    input_ids: { type: 'int64', data: int64(tokens), dims: [1, tokens.length] },
    attention_mask: { type: 'int64', data: new BigInt64Array(total).fill(1n), dims: [1, total] },
  };
  if (inputNames.includes('position_ids')) {
    feeds.position_ids = { type: 'int64', data: int64(tokens.map((_, i) => pastLength + i)), dims: [1, tokens.length] };
  }
  for (const { input } of cacheNames(inputNames)) {
    feeds[input] = past?.[input] ?? { type: 'float32', data: new Float32Array(0), dims: [1, config.kvHeads, 0, config.headDim] };
  }
  return feeds;
}

/** The step's `present.*` outputs renamed as the next step's `past_key_values.*` inputs. */
export function nextPast(inputNames: string[], outputs: WireTensors): WireTensors {
  const past: WireTensors = {};
  for (const { input, output } of cacheNames(inputNames)) {
    const tensor = outputs[output];
    if (!tensor) throw new Error(`decoder output ${output} is missing (outputs: ${Object.keys(outputs).join(', ')})`);
    past[input] = tensor;
  }
  return past;
}
