import path from 'node:path';
import { MINILM_INTENT } from '../../../../src/models/registry/minilm-intent';
import { bertNormalize, bertPreTokenize } from '../../../../src/models/intent-classification/bert-normalize';
import { WordPieceTokenizer } from '../../../../src/models/intent-classification/wordpiece-tokenizer';
import { installedModel } from '../../../harness/text-test-env';

/** Ids from HuggingFace `tokenizers` (Rust) on the same tokenizer.json, recorded when this test was written. */
const REFERENCE: [string, number[]][] = [
  ['Please stop moving right now', [101, 3531, 2644, 3048, 2157, 2085, 102]],
  ["Hello, WORLD! Don't   go-to the kitchen...", [101, 7592, 1010, 2088, 999, 2123, 1005, 1056, 2175, 1011, 2000, 1996, 3829, 1012, 1012, 1012, 102]],
  ['Café naïve résumé', [101, 7668, 15743, 13746, 102]],
  ['unbelievably antidisestablishmentarianism', [101, 4895, 8671, 2666, 3567, 6321, 3424, 10521, 4355, 7875, 13602, 3672, 12199, 2964, 102]],
  ['  ', [101, 102]],
  ['你好 robot 3.14 $5 #tag e-mail: a@b.com', [101, 100, 100, 8957, 1017, 1012, 2403, 1002, 1019, 1001, 6415, 1041, 1011, 5653, 1024, 1037, 1030, 1038, 1012, 4012, 102]],
  ['Turn left 90°, then stop!!', [101, 2735, 2187, 3938, 7737, 1010, 2059, 2644, 999, 999, 102]],
];

let tokenizer: WordPieceTokenizer;

beforeAll(async () => {
  tokenizer = await WordPieceTokenizer.fromFile(path.join(await installedModel(MINILM_INTENT), 'tokenizer.json'));
});

describe('BERT WordPiece tokenizer (all-MiniLM-L6-v2 tokenizer.json)', () => {
  test.each(REFERENCE)('%j gives the ids HuggingFace tokenizers gives', (text, ids) => {
    const encoded = tokenizer.encode(text);
    expect(encoded.ids).toEqual(ids);
    expect(encoded.attentionMask).toEqual(ids.map(() => 1));
    expect(encoded.typeIds).toEqual(ids.map(() => 0));
    expect(encoded.truncated).toBe(false);
  });

  test('word pieces carry the ## prefix; the tokens name what the ids are', () => {
    expect(tokenizer.encode('unbelievably').tokens).toEqual(['[CLS]', 'un', '##bel', '##ie', '##va', '##bly', '[SEP]']);
  });

  test('long input is cut to the max length (128 from tokenizer.json), [SEP] kept last', () => {
    const encoded = tokenizer.encode('stop '.repeat(300));
    expect(tokenizer.maxLength).toBe(128);
    expect(encoded.ids).toHaveLength(128);
    expect(encoded.ids[0]).toBe(101);
    expect(encoded.ids[127]).toBe(102);
    expect(encoded.truncated).toBe(true);
  });

  test('normalization: control characters dropped, whitespace unified, accents stripped, lowercased, CJK spaced', () => {
    const options = { cleanText: true, handleChineseChars: true, stripAccents: true, lowercase: true };
    expect(bertNormalize('A\u0000b\u200bC\tD\u00e9', options)).toBe('abc de');
    expect(bertNormalize('机器人', options)).toBe(' 机  器  人 ');
    expect(bertPreTokenize("don't stop-now ¿qué?")).toEqual(['don', "'", 't', 'stop', '-', 'now', '¿', 'qué', '?']);
  });

  test('a word longer than max_input_chars_per_word (100) is [UNK]', () => {
    expect(tokenizer.encode('a'.repeat(101)).ids).toEqual([101, 100, 102]);
  });

  test('a tokenizer.json of another kind is refused with the field named', () => {
    expect(() => WordPieceTokenizer.fromJson({ model: { type: 'BPE' } })).toThrow(/is not a BERT WordPiece tokenizer: /);
  });
});
