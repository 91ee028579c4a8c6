import { z } from 'zod';
import { GPT2_PATTERN, toByteLevel } from './byte-level';

type PreTokenizerJson =
  | { type: 'ByteLevel'; add_prefix_space?: boolean; use_regex?: boolean }
  | { type: 'Digits'; individual_digits?: boolean }
  | { type: 'Split'; pattern: { Regex?: string; String?: string }; behavior: string; invert?: boolean }
  | { type: 'Sequence'; pretokenizers: PreTokenizerJson[] };

export const preTokenizerSchema: z.ZodType<PreTokenizerJson> = z.lazy(() =>
  z.union([
    z.object({ type: z.literal('ByteLevel'), add_prefix_space: z.boolean().optional(), use_regex: z.boolean().optional() }),
    z.object({ type: z.literal('Digits'), individual_digits: z.boolean().optional() }),
    z.object({
      type: z.literal('Split'),
      pattern: z.object({ Regex: z.string().optional(), String: z.string().optional() }),
      behavior: z.string(),
      invert: z.boolean().optional(),
    }),
    z.object({ type: z.literal('Sequence'), pretokenizers: z.array(preTokenizerSchema) }),
  ]),
);

/** Pieces of `text`: every match of `pattern` on its own (HuggingFace's `Isolated`), or dropped (`Removed`). */
function splitBy(text: string, pattern: RegExp, keepMatches: boolean): string[] {
  const pieces: string[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match[0] === '') continue;
    const start = match.index ?? 0;
    if (start > last) pieces.push(text.slice(last, start));
    if (keepMatches) pieces.push(match[0]);
    last = start + match[0].length;
  }
  if (last < text.length) pieces.push(text.slice(last));
  return pieces;
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A HuggingFace pre-tokenizer as a function from pieces to pieces. Supported: ByteLevel, Digits,
 * Split (Isolated or Removed, no invert) and Sequence of those; ByteLevel also maps bytes to
 * its printable characters, so it must come last.
 */
export function compilePreTokenizer(json: PreTokenizerJson): (pieces: string[]) => string[] {
  switch (json.type) {
    case 'ByteLevel':
      return (pieces) =>
        pieces.flatMap((piece) => {
          // As HuggingFace does: every piece that reaches ByteLevel gets the prefix space.
          const text = json.add_prefix_space && !piece.startsWith(' ') ? ` ${piece}` : piece;
          return (json.use_regex === false ? [text] : splitBy(text, GPT2_PATTERN, true)).map(toByteLevel);
        });
    case 'Digits': {
      const pattern = json.individual_digits ? /\p{N}/gu : /\p{N}+/gu;
      return (pieces) => pieces.flatMap((piece) => splitBy(piece, pattern, true));
    }
    case 'Split': {
      if (json.invert) throw new Error('tokenizer.json: Split pre-tokenizer with invert is not supported');
      if (json.behavior !== 'Isolated' && json.behavior !== 'Removed') {
        throw new Error(`tokenizer.json: Split pre-tokenizer behavior ${json.behavior} is not supported (Isolated, Removed are)`);
      }
      const source = json.pattern.Regex ?? escapeRegex(json.pattern.String ?? '');
      let pattern: RegExp;
      try {
        pattern = new RegExp(source, 'gu');
      } catch (error) {
        throw new Error(`tokenizer.json: Split pattern ${JSON.stringify(source)} is not a JavaScript regular expression: ${(error as Error).message}`);
      }
      return (pieces) => pieces.flatMap((piece) => splitBy(piece, pattern, json.behavior === 'Isolated'));
    }
    case 'Sequence': {
      const steps = json.pretokenizers.map(compilePreTokenizer);
      return (pieces) => steps.reduce((current, step) => step(current), pieces);
    }
  }
}
