import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { findRepoRoot } from '../../src/models/model-dirs';

/** One utterance of a labelled NLU set: its intent and, where it has any, its entities. */
export interface LabelledUtterance {
  text: string;
  intent: string;
  entities?: Record<string, string>;
}

/** The utterances of a labelled set in test/fixtures (`nlu-utterances.json`, `nlu-utterances.pl.json`). */
export async function labelledUtterances(name: string): Promise<LabelledUtterance[]> {
  const file = path.join(findRepoRoot(), 'test', 'fixtures', name);
  return (JSON.parse(await readFile(file, 'utf8')) as { utterances: LabelledUtterance[] }).utterances;
}
