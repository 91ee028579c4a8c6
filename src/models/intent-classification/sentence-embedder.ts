import type { SessionHost } from '../threads/session-host';
import type { WireTensors } from '../threads/session-protocol';
import { meanPoolNormalized } from './mean-pool';
import type { WordPieceTokenizer } from './wordpiece-tokenizer';

/** A tokenized batch, padded to its longest sentence, ready for the encoder. */
export interface EncoderBatch {
  feeds: WireTensors;
  size: number;
  tokens: number;
  mask: BigInt64Array;
}

/** Inputs of a BERT-style encoder (input_ids, attention_mask, token_type_ids) for a batch. */
export function encoderBatch(tokenizer: WordPieceTokenizer, texts: string[]): EncoderBatch {
  const encoded = texts.map((text) => tokenizer.encode(text));
  const tokens = Math.max(...encoded.map((e) => e.ids.length));
  const ids = new BigInt64Array(texts.length * tokens);
  const mask = new BigInt64Array(texts.length * tokens);
  encoded.forEach((e, row) => {
    e.ids.forEach((id, column) => {
      ids[row * tokens + column] = BigInt(id);
      mask[row * tokens + column] = 1n;
    });
  });
  const dims = [texts.length, tokens];
  return {
    feeds: {
      input_ids: { type: 'int64', data: ids, dims },
      attention_mask: { type: 'int64', data: mask.slice(), dims },
      token_type_ids: { type: 'int64', data: new BigInt64Array(texts.length * tokens), dims },
    },
    size: texts.length,
    tokens,
    mask,
  };
}

/** Unit-length sentence embeddings from a sentence-transformers encoder running in a session thread. */
export class SentenceEmbedder {
  constructor(
    private readonly host: SessionHost,
    private readonly tokenizer: WordPieceTokenizer,
  ) {}

  encode(texts: string[]): EncoderBatch {
    return encoderBatch(this.tokenizer, texts);
  }

  /** Runs the encoder on a batch and pools its last hidden state into one embedding per sentence. */
  async run(batch: EncoderBatch): Promise<Float32Array[]> {
    const known = new Set(this.host.inputNames);
    const outputs = await this.host.run(Object.fromEntries(Object.entries(batch.feeds).filter(([name]) => known.has(name))));
    const hidden = outputs[this.host.outputNames[0]];
    if (hidden?.type !== 'float32' || hidden.dims.length !== 3) {
      throw new Error(`sentence encoder: expected a float32 [batch, tokens, dim] output, got ${hidden?.type} ${JSON.stringify(hidden?.dims)}`);
    }
    return meanPoolNormalized(hidden.data as Float32Array, batch.mask, batch.size, batch.tokens, hidden.dims[2]);
  }

  /**
   * One run per sentence: the int8 model quantizes activations dynamically over the whole batch,
   * so padding a sentence next to a longer one changes its embedding (cosine 0.97 instead of 1).
   */
  async embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const text of texts) {
      signal?.throwIfAborted();
      out.push(...(await this.run(this.encode([text]))));
    }
    return out;
  }
}
