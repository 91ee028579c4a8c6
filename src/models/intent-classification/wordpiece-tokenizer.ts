import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { bertNormalize, bertPreTokenize, type BertNormalizeOptions } from './bert-normalize';

/** The parts of a HuggingFace tokenizer.json that a BERT WordPiece tokenizer uses. */
const tokenizerJsonSchema = z.object({
  truncation: z.object({ max_length: z.number().int().positive() }).nullable().optional(),
  normalizer: z
    .object({
      type: z.literal('BertNormalizer'),
      clean_text: z.boolean().default(true),
      handle_chinese_chars: z.boolean().default(true),
      strip_accents: z.boolean().nullable().default(null),
      lowercase: z.boolean().default(true),
    })
    .nullable(),
  pre_tokenizer: z.object({ type: z.literal('BertPreTokenizer') }),
  model: z.object({
    type: z.literal('WordPiece'),
    unk_token: z.string(),
    continuing_subword_prefix: z.string().default('##'),
    max_input_chars_per_word: z.number().int().positive().default(100),
    vocab: z.record(z.number().int().nonnegative()),
  }),
});

export interface EncodedText {
  tokens: string[];
  ids: number[];
  /** 1 for every token (no padding is added). */
  attentionMask: number[];
  /** 0 for every token: one sequence. */
  typeIds: number[];
  /** True when the text had more word pieces than fit. */
  truncated: boolean;
}

export interface WordPieceTokenizerOptions {
  vocab: Map<string, number>;
  unkToken: string;
  clsToken?: string;
  sepToken?: string;
  continuingSubwordPrefix?: string;
  maxInputCharsPerWord?: number;
  /** Longest encoding, [CLS] and [SEP] included. */
  maxLength: number;
  normalize: BertNormalizeOptions;
}

/** BERT's WordPiece tokenizer (uncased): normalize, split on whitespace and punctuation, greedy longest-match word pieces, [CLS] … [SEP]. */
export class WordPieceTokenizer {
  private readonly prefix: string;
  private readonly maxCharsPerWord: number;
  private readonly unkId: number;
  private readonly clsId: number;
  private readonly sepId: number;

  constructor(private readonly options: WordPieceTokenizerOptions) {
    this.prefix = options.continuingSubwordPrefix ?? '##';
    this.maxCharsPerWord = options.maxInputCharsPerWord ?? 100;
    this.unkId = this.idOf(options.unkToken);
    this.clsId = this.idOf(options.clsToken ?? '[CLS]');
    this.sepId = this.idOf(options.sepToken ?? '[SEP]');
  }

  /** Reads a HuggingFace tokenizer.json with a BertNormalizer, BertPreTokenizer and WordPiece model. */
  static async fromFile(file: string, maxLength?: number): Promise<WordPieceTokenizer> {
    return WordPieceTokenizer.fromJson(JSON.parse(await readFile(file, 'utf8')), maxLength, file);
  }

  static fromJson(json: unknown, maxLength?: number, source = 'tokenizer.json'): WordPieceTokenizer {
    const parsed = tokenizerJsonSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${source} is not a BERT WordPiece tokenizer: ${issue.path.join('.')}: ${issue.message}`);
    }
    const { model, normalizer, truncation } = parsed.data;
    const lowercase = normalizer?.lowercase ?? false;
    return new WordPieceTokenizer({
      vocab: new Map(Object.entries(model.vocab)),
      unkToken: model.unk_token,
      continuingSubwordPrefix: model.continuing_subword_prefix,
      maxInputCharsPerWord: model.max_input_chars_per_word,
      maxLength: maxLength ?? truncation?.max_length ?? 512,
      normalize: {
        cleanText: normalizer?.clean_text ?? false,
        handleChineseChars: normalizer?.handle_chinese_chars ?? false,
        // HuggingFace: strip_accents unset follows lowercase.
        stripAccents: normalizer?.strip_accents ?? lowercase,
        lowercase,
      },
    });
  }

  get maxLength(): number {
    return this.options.maxLength;
  }

  encode(text: string): EncodedText {
    const pieces: string[] = [];
    for (const word of bertPreTokenize(bertNormalize(text, this.options.normalize))) pieces.push(...this.wordPieces(word));
    const room = this.options.maxLength - 2;
    const kept = pieces.slice(0, room);
    const tokens = [this.options.clsToken ?? '[CLS]', ...kept, this.options.sepToken ?? '[SEP]'];
    const ids = [this.clsId, ...kept.map((piece) => this.options.vocab.get(piece) ?? this.unkId), this.sepId];
    return {
      tokens,
      ids,
      attentionMask: ids.map(() => 1),
      typeIds: ids.map(() => 0),
      truncated: pieces.length > room,
    };
  }

  /** Greedy longest-match-first; a word with any unknown piece becomes the unknown token. */
  private wordPieces(word: string): string[] {
    const chars = [...word];
    if (chars.length > this.maxCharsPerWord) return [this.options.unkToken];
    const pieces: string[] = [];
    for (let start = 0; start < chars.length; ) {
      let end = chars.length;
      let piece: string | undefined;
      while (start < end) {
        const candidate = (start > 0 ? this.prefix : '') + chars.slice(start, end).join('');
        if (this.options.vocab.has(candidate)) {
          piece = candidate;
          break;
        }
        end--;
      }
      if (piece === undefined) return [this.options.unkToken];
      pieces.push(piece);
      start = end;
    }
    return pieces;
  }

  private idOf(token: string): number {
    const id = this.options.vocab.get(token);
    if (id === undefined) throw new Error(`tokenizer vocabulary has no ${token} token`);
    return id;
  }
}
