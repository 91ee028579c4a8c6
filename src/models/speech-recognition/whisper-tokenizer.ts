import { BpeTokenizer } from '../text-generation/onnx/bpe-tokenizer';
import { readFile } from 'node:fs/promises';

interface TokenizerJson {
  model?: { type?: string; vocab?: Record<string, number> };
  added_tokens?: { id: number; content: string; special?: boolean }[];
}

/** GPT-2's byte ↔ printable character table used by byte-level BPE. */
function unicodeToByte(): Map<string, number> {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const table = new Map<string, number>();
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    const code = printable.includes(b) ? b : 256 + extra++;
    table.set(String.fromCodePoint(code), b);
  }
  return table;
}

const BYTE_OF = unicodeToByte();

/** Whisper's special tokens, by content. */
export interface WhisperSpecialTokens {
  endOfText: number;
  startOfTranscript: number;
  transcribe: number;
  noTimestamps: number;
  /** `<|nocaptions|>` (older vocabularies) or `<|nospeech|>`: its probability after the start token is Whisper's no-speech signal. */
  noSpeech?: number;
  /** Language code (e.g. `en`) → token id. */
  languages: Map<string, number>;
  /** `<|startofprev|>`: earlier text (a prompt) follows it, before `<|startoftranscript|>`. */
  startOfPrev?: number;
}

/** Encoding needs the full byte-level BPE (merges, pre-tokenizer); a tokenizer.json it cannot read only decodes. */
function encoderOf(json: TokenizerJson): BpeTokenizer | undefined {
  try {
    return BpeTokenizer.fromJson(json);
  } catch {
    return undefined;
  }
}

/** Byte-level BPE decoding of a Hugging Face tokenizer.json, plus Whisper's special tokens. */
export class WhisperTokenizer {
  private constructor(
    private readonly pieces: Map<number, string>,
    private readonly specialIds: Set<number>,
    readonly special: WhisperSpecialTokens,
    private readonly encoder: BpeTokenizer | undefined,
  ) {}

  static async fromFile(file: string): Promise<WhisperTokenizer> {
    return WhisperTokenizer.fromJson(JSON.parse(await readFile(file, 'utf8')) as TokenizerJson, file);
  }

  static fromJson(json: TokenizerJson, source = 'tokenizer.json'): WhisperTokenizer {
    if (json.model?.type !== 'BPE' || !json.model.vocab) throw new Error(`${source}: not a BPE tokenizer.json`);
    const pieces = new Map<number, string>();
    for (const [piece, id] of Object.entries(json.model.vocab)) pieces.set(id, piece);
    const specialIds = new Set<number>();
    const byContent = new Map<string, number>();
    for (const token of json.added_tokens ?? []) {
      pieces.set(token.id, token.content);
      byContent.set(token.content, token.id);
      if (token.special !== false) specialIds.add(token.id);
    }
    const need = (content: string): number => {
      const id = byContent.get(content);
      if (id === undefined) throw new Error(`${source}: no ${content} token (not a Whisper tokenizer)`);
      return id;
    };
    const languages = new Map<string, number>();
    for (const [content, id] of byContent) {
      const match = /^<\|([a-z]{2,3})\|>$/.exec(content);
      if (match) languages.set(match[1], id);
    }
    const special: WhisperSpecialTokens = {
      endOfText: need('<|endoftext|>'),
      startOfTranscript: need('<|startoftranscript|>'),
      transcribe: need('<|transcribe|>'),
      noTimestamps: need('<|notimestamps|>'),
      noSpeech: byContent.get('<|nospeech|>') ?? byContent.get('<|nocaptions|>'),
      languages,
      startOfPrev: byContent.get('<|startofprev|>'),
    };
    return new WhisperTokenizer(pieces, specialIds, special, encoderOf(json));
  }

  /** The token ids of `text` (undefined when this tokenizer.json cannot be encoded with). */
  encode(text: string): number[] | undefined {
    return this.encoder?.encode(text);
  }

  isSpecial(id: number): boolean {
    return this.specialIds.has(id);
  }

  /** The text of `ids`, special tokens left out. */
  decode(ids: readonly number[]): string {
    const bytes: number[] = [];
    for (const id of ids) {
      if (this.specialIds.has(id)) continue;
      const piece = this.pieces.get(id);
      if (piece === undefined) continue;
      for (const char of piece) {
        const byte = BYTE_OF.get(char);
        if (byte !== undefined) bytes.push(byte);
      }
    }
    return new TextDecoder().decode(Uint8Array.from(bytes));
  }

  /** The id of a single-piece token (e.g. `Ġ` for a space), if the vocabulary has it. */
  idOf(piece: string): number | undefined {
    for (const [id, value] of this.pieces) if (value === piece) return id;
    return undefined;
  }
}
