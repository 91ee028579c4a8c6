import { scoringWords, wordErrorRate, wordErrors } from '../../../../src/models/speech-recognition/word-error-rate';

test('words are scored without case, punctuation or apostrophes; Polish letters stay letters', () => {
  expect(scoringWords('Dzień dobry, jak się masz?')).toEqual(['dzień', 'dobry', 'jak', 'się', 'masz']);
  expect(scoringWords('ZATRZYMAJ SIĘ!')).toEqual(['zatrzymaj', 'się']);
  expect(scoringWords("Don't stop -- D-Shet.")).toEqual(['dont', 'stop', 'd', 'shet']);
  // "ę" as one code point or as "e" + combining ogonek is the same word.
  expect(scoringWords('sie\u0328')).toEqual(scoringWords('się'));
  expect(scoringWords('  ...  ')).toEqual([]);
});

test('errors are the word-level Levenshtein distance: substitutions, deletions and insertions', () => {
  expect(wordErrors('Jedź prosto do przodu.', 'jedź prosto do przodu')).toEqual({ errors: 0, words: 4 });
  expect(wordErrors('Jedź prosto do przodu.', 'i jest prosto do przodu.')).toEqual({ errors: 2, words: 4 });
  expect(wordErrors('Zatrzymaj się.', 'się')).toEqual({ errors: 1, words: 2 });
  expect(wordErrors('Zatrzymaj się.', '')).toEqual({ errors: 2, words: 2 });
  expect(wordErrors('a b c', 'c b a')).toEqual({ errors: 2, words: 3 });
});

test('the corpus rate is all errors over all reference words, not a mean of rates', () => {
  const pairs = [
    { reference: 'Zatrzymaj się.', hypothesis: 'Ma, szumaj się.' },
    { reference: 'Dzień dobry, jak się masz?', hypothesis: 'Dzień dobry, jak się masz.' },
  ];
  expect(wordErrorRate(pairs.slice(0, 1))).toBe(1);
  expect(wordErrorRate(pairs)).toBeCloseTo(2 / 7, 10);
  expect(wordErrorRate([{ reference: '', hypothesis: '' }])).toBe(0);
  expect(wordErrorRate([{ reference: '', hypothesis: 'coś' }])).toBe(Infinity);
});
