import { allSentences, completeSentences, SentenceSplitter } from '../../../src/shared/sentences';

test('a sentence is complete once the next one starts; the rest waits', () => {
  expect(completeSentences('Dzień dobry! Jak się masz? Jest')).toEqual({ sentences: ['Dzień dobry!', 'Jak się masz?'], rest: ' Jest' });
  expect(completeSentences('Version 2.5 is out')).toEqual({ sentences: [], rest: 'Version 2.5 is out' });
  expect(allSentences('Hello. I heard "stop." Bye')).toEqual(['Hello.', 'I heard "stop."', 'Bye']);
});

test('deltas split anywhere give the sentences of the finished text, each once, in order', () => {
  const text = 'Widzę przeszkodę. Skręcam w lewo!\nGotowe';
  for (const size of [1, 3, 7, text.length]) {
    const seen: Array<[number, string]> = [];
    const splitter = new SentenceSplitter((index, sentence) => seen.push([index, sentence]));
    for (let at = 0; at < text.length; at += size) splitter.push(text.slice(at, at + size));
    splitter.end();
    expect(seen).toEqual(allSentences(text).map((sentence, index) => [index, sentence]));
  }
  expect(allSentences(text)).toEqual(['Widzę przeszkodę.', 'Skręcam w lewo!', 'Gotowe']);
});
