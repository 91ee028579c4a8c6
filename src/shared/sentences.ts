/**
 * Splits a text the model is still writing into complete sentences (the unit of TTS, streaming
 * and truncation). Deterministic: the workflow splits the final text with it and gets the same
 * sentences the activity signalled on the way.
 */
const SENTENCE_END = /[.!?…]+["')\]]*(?=\s)|\n+/g;

/** The complete sentences of `text` and the rest still being written. */
export function completeSentences(text: string): { sentences: string[]; rest: string } {
  const sentences: string[] = [];
  let start = 0;
  for (const match of text.matchAll(SENTENCE_END)) {
    const end = (match.index ?? 0) + match[0].length;
    const sentence = text.slice(start, end).trim();
    if (sentence) sentences.push(sentence);
    start = end;
  }
  return { sentences, rest: text.slice(start) };
}

/** Every sentence of a finished text, the unfinished last one included. */
export function allSentences(text: string): string[] {
  const { sentences, rest } = completeSentences(text);
  const last = rest.trim();
  return last ? [...sentences, last] : sentences;
}

/** Feeds deltas in, calls `onSentence` once per sentence as soon as it is complete. */
export class SentenceSplitter {
  private written = '';
  private emitted = 0;

  constructor(private readonly onSentence: (index: number, text: string) => void) {}

  push(delta: string): void {
    this.written += delta;
    const { sentences } = completeSentences(this.written);
    while (this.emitted < sentences.length) {
      this.onSentence(this.emitted, sentences[this.emitted]);
      this.emitted += 1;
    }
  }

  /** The text is finished: its last sentence, if it had no end mark. */
  end(): void {
    const sentences = allSentences(this.written);
    while (this.emitted < sentences.length) {
      this.onSentence(this.emitted, sentences[this.emitted]);
      this.emitted += 1;
    }
  }
}
