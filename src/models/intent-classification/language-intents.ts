import { IntentIndex } from './intent-index';
import { readIntentsFile, type IntentsConfig } from './intents-file';
import { KeywordRules } from './keyword-rules';
import type { SentenceEmbedder } from './sentence-embedder';

/** One language's intents, ready to classify with: its file, its keyword rules and its embedded examples. */
export interface LanguageIntents {
  language: string;
  file: string;
  intents: IntentsConfig;
  rules: KeywordRules;
  index: IntentIndex;
  examples: number;
}

/** Reads a language's intents file and embeds the examples of the intents they decide (one by one: see SentenceEmbedder). */
export async function embedLanguageIntents(embedder: SentenceEmbedder, language: string, file: string): Promise<LanguageIntents> {
  const intents = await readIntentsFile(file);
  const searched = Object.entries(intents.intents).filter(([, { keywordsOnly }]) => !keywordsOnly);
  const labelled = searched.flatMap(([intent, { examples }]) => examples.map((text) => ({ intent, text })));
  const embeddings = await embedder.embed(labelled.map((example) => example.text));
  const index = new IntentIndex(
    labelled.map(({ intent }, i) => ({ intent, embedding: embeddings[i] })),
    intents.threshold,
    intents.neighbours,
  );
  return { language, file, intents, rules: new KeywordRules(intents.intents), index, examples: labelled.length };
}
