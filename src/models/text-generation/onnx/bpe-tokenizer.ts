import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { fromByteLevel } from './byte-level';
import { compilePreTokenizer, preTokenizerSchema } from './pre-tokenizer';

const tokenizerJsonSchema = z.object({
  added_tokens: z.array(z.object({ id: z.number().int(), content: z.string(), special: z.boolean().default(false) })).default([]),
  normalizer: z
    .object({ type: z.string() })
    .passthrough()
    .nullable()
    .default(null)
    .refine((n) => n === null || n.type === 'NFC', { message: 'only no normalizer or NFC is supported' }),
  pre_tokenizer: preTokenizerSchema,
  decoder: z.object({ type: z.literal('ByteLevel') }).passthrough(),
  model: z.object({
    type: z.literal('BPE'),
    vocab: z.record(z.number().int().nonnegative()),
    merges: z.array(z.union([z.string(), z.tuple([z.string(), z.string()])])),
    unk_token: z.string().nullable().optional(),
    byte_fallback: z.boolean().optional(),
  }),
});

type TokenizerJson = z.infer<typeof tokenizerJsonSchema>;

/**
 * Byte-level BPE (GPT-2, SmolLM, Qwen, Llama 3 style) from a HuggingFace tokenizer.json: added
 * tokens matched first, then the pre-tokenizer, then merges by rank. Decoding maps byte-level
 * characters back to bytes, so a token can be decoded to bytes alone for streaming.
 */
export class BpeTokenizer {
  private readonly vocab: Map<string, number>;
  private readonly tokens: Map<number, string>;
  private readonly ranks: Map<string, number>;
  private readonly added: Map<string, { id: number; special: boolean }>;
  private readonly addedPattern?: RegExp;
  private readonly specialIds: Set<number>;
  private readonly preTokenize: (pieces: string[]) => string[];
  private readonly cache = new Map<string, number[]>();
  private readonly unkId?: number;
  private readonly nfc: boolean;

  private constructor(json: TokenizerJson) {
    this.vocab = new Map(Object.entries(json.model.vocab));
    this.added = new Map(json.added_tokens.map((token) => [token.content, { id: token.id, special: token.special }]));
    for (const [content, { id }] of this.added) this.vocab.set(content, id);
    this.tokens = new Map([...this.vocab].map(([token, id]) => [id, token]));
    this.ranks = new Map(json.model.merges.map((merge, rank) => [typeof merge === 'string' ? merge : merge.join(' '), rank]));
    this.specialIds = new Set(json.added_tokens.filter((token) => token.special).map((token) => token.id));
    const escaped = [...this.added.keys()].sort((a, b) => b.length - a.length).map((text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.addedPattern = escaped.length > 0 ? new RegExp(escaped.join('|'), 'gu') : undefined;
    this.preTokenize = compilePreTokenizer(json.pre_tokenizer);
    this.unkId = json.model.unk_token ? this.vocab.get(json.model.unk_token) : undefined;
    this.nfc = json.normalizer?.type === 'NFC';
  }

  static async fromFile(file: string): Promise<BpeTokenizer> {
    return BpeTokenizer.fromJson(JSON.parse(await readFile(file, 'utf8')), file);
  }

  static fromJson(json: unknown, source = 'tokenizer.json'): BpeTokenizer {
    const parsed = tokenizerJsonSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${source} is not a byte-level BPE tokenizer: ${issue.path.join('.')}: ${issue.message}`);
    }
    if (parsed.data.model.byte_fallback) throw new Error(`${source}: byte_fallback BPE (SentencePiece style) is not supported`);
    return new BpeTokenizer(parsed.data);
  }

  get vocabSize(): number {
    return Math.max(...this.tokens.keys()) + 1;
  }

  /** The id of a token (e.g. `<|im_end|>`), if the vocabulary has it. */
  tokenId(token: string): number | undefined {
    return this.vocab.get(token);
  }

  encode(text: string): number[] {
    const ids: number[] = [];
    let last = 0;
    const segments: { text: string; added: boolean }[] = [];
    for (const match of this.addedPattern ? text.matchAll(this.addedPattern) : []) {
      const start = match.index ?? 0;
      if (start > last) segments.push({ text: text.slice(last, start), added: false });
      segments.push({ text: match[0], added: true });
      last = start + match[0].length;
    }
    if (last < text.length) segments.push({ text: text.slice(last), added: false });
    for (const segment of segments) {
      if (segment.added) {
        ids.push(this.added.get(segment.text)!.id);
        continue;
      }
      const normalized = this.nfc ? segment.text.normalize('NFC') : segment.text;
      for (const piece of this.preTokenize([normalized])) ids.push(...this.encodePiece(piece));
    }
    return ids;
  }

  /** The bytes one token stands for (special tokens: none). */
  tokenBytes(id: number): Uint8Array {
    if (this.specialIds.has(id)) return new Uint8Array(0);
    const token = this.tokens.get(id);
    if (token === undefined) throw new Error(`token id ${id} is not in the vocabulary`);
    if (this.added.has(token)) return new TextEncoder().encode(token);
    return fromByteLevel(token) ?? new TextEncoder().encode(token);
  }

  decode(ids: number[]): string {
    const parts = ids.map((id) => this.tokenBytes(id));
    const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
    let offset = 0;
    for (const part of parts) {
      bytes.set(part, offset);
      offset += part.length;
    }
    return new TextDecoder().decode(bytes);
  }

  /** BPE on one pre-tokenized piece: merge the adjacent pair of lowest rank until none is left. */
  private encodePiece(piece: string): number[] {
    const cached = this.cache.get(piece);
    if (cached) return cached;
    let symbols = [...piece];
    while (symbols.length > 1) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i < symbols.length - 1; i++) {
        const rank = this.ranks.get(`${symbols[i]} ${symbols[i + 1]}`);
        if (rank !== undefined && rank < bestRank) {
          bestRank = rank;
          best = i;
        }
      }
      if (best < 0) break;
      const [left, right] = [symbols[best], symbols[best + 1]];
      const next: string[] = [];
      for (let i = 0; i < symbols.length; i++) {
        if (i < symbols.length - 1 && symbols[i] === left && symbols[i + 1] === right) {
          next.push(left + right);
          i++;
        } else {
          next.push(symbols[i]);
        }
      }
      symbols = next;
    }
    const ids = symbols.map((symbol) => {
      const id = this.vocab.get(symbol) ?? this.unkId;
      if (id === undefined) throw new Error(`tokenizer: "${symbol}" is not in the vocabulary and there is no unknown token`);
      return id;
    });
    if (this.cache.size < 50_000) this.cache.set(piece, ids);
    return ids;
  }
}
