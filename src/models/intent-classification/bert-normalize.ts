/** CJK ideograph blocks that BERT splits into one token per character. */
const CJK_RANGES: readonly [number, number][] = [
  [0x4e00, 0x9fff],
  [0x3400, 0x4dbf],
  [0x20000, 0x2a6df],
  [0x2a700, 0x2b73f],
  [0x2b740, 0x2b81f],
  [0x2b820, 0x2ceaf],
  [0xf900, 0xfaff],
  [0x2f800, 0x2fa1f],
];

const isCjk = (code: number): boolean => CJK_RANGES.some(([from, to]) => code >= from && code <= to);
const isControl = (char: string): boolean => char !== '\t' && char !== '\n' && char !== '\r' && /\p{C}/u.test(char);
const isWhitespace = (char: string): boolean => /\s/u.test(char);

export interface BertNormalizeOptions {
  cleanText: boolean;
  handleChineseChars: boolean;
  stripAccents: boolean;
  lowercase: boolean;
}

/** HuggingFace tokenizers' BertNormalizer: drop control characters, space out CJK ideographs, strip accents, lowercase. */
export function bertNormalize(text: string, options: BertNormalizeOptions): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (options.cleanText) {
      if (code === 0 || code === 0xfffd || isControl(char)) continue;
      if (isWhitespace(char)) {
        out += ' ';
        continue;
      }
    }
    out += options.handleChineseChars && isCjk(code) ? ` ${char} ` : char;
  }
  if (options.stripAccents) out = out.normalize('NFD').replace(/\p{Mn}/gu, '');
  if (options.lowercase) out = out.toLowerCase();
  return out;
}

/** Punctuation as BERT sees it: ASCII punctuation and symbols, and every Unicode punctuation character. */
export function isBertPunctuation(char: string): boolean {
  const code = char.codePointAt(0)!;
  if ((code >= 33 && code <= 47) || (code >= 58 && code <= 64) || (code >= 91 && code <= 96) || (code >= 123 && code <= 126)) return true;
  return /\p{P}/u.test(char);
}

/** BertPreTokenizer: split on whitespace, then make every punctuation character a word of its own. */
export function bertPreTokenize(text: string): string[] {
  const words: string[] = [];
  for (const chunk of text.split(/\s+/u)) {
    let word = '';
    for (const char of chunk) {
      if (!isBertPunctuation(char)) {
        word += char;
        continue;
      }
      if (word) words.push(word);
      words.push(char);
      word = '';
    }
    if (word) words.push(word);
  }
  return words;
}
