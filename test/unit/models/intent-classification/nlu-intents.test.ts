import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ModelInputError } from '../../../../src/models';
import { MINILM_INTENT } from '../../../../src/models/registry/minilm-intent';
import { dot } from '../../../../src/models/intent-classification/mean-pool';
import { MiniLmIntentClassifier } from '../../../../src/models/intent-classification/minilm-intent-classifier';
import { readIntentsFile } from '../../../../src/models/intent-classification/intents-file';
import { SentenceEmbedder } from '../../../../src/models/intent-classification/sentence-embedder';
import { findRepoRoot } from '../../../../src/models/model-dirs';
import { removeTempDirs, tempDir } from '../../../harness/model-test-env';
import { labelledUtterances } from '../../../harness/nlu-fixtures';
import { installedModel } from '../../../harness/text-test-env';

const INTENTS_FILE = path.join(findRepoRoot(), 'config', 'intents.json');

/** First dimensions of the embedding of "Please stop moving right now" by HuggingFace tokenizers + Python onnxruntime + mean pooling, recorded. */
const REFERENCE_EMBEDDING_HEAD = [0.04203, -0.14291, 0.10495, -0.02249, 0.11485, -0.04394, 0.02693, -0.0201];

let classifier: MiniLmIntentClassifier;
let embedder: SentenceEmbedder;

beforeAll(async () => {
  classifier = await MiniLmIntentClassifier.load({ manifest: MINILM_INTENT, dir: await installedModel(MINILM_INTENT), executionProvider: 'cpu' });
  embedder = (classifier as unknown as { embedder: SentenceEmbedder }).embedder;
});

afterAll(async () => {
  await classifier?.close();
  await removeTempDirs();
});

describe('MiniLM sentence embeddings', () => {
  test('match the reference pipeline (mean pooling over the mask, unit length) to 1e-3', async () => {
    const [embedding] = await embedder.embed(['Please stop moving right now']);
    expect(embedding).toHaveLength(384);
    expect(dot(embedding, embedding)).toBeCloseTo(1, 5);
    Array.from(embedding.slice(0, 8)).forEach((value, i) => expect(Math.abs(value - REFERENCE_EMBEDDING_HEAD[i])).toBeLessThan(1e-3));
  });

  test('a list gives the same embeddings as one sentence at a time (no padding reaches the dynamically quantized model)', async () => {
    const texts = ['Stop', 'Please drive forward two meters and then turn left', 'hi'];
    const batched = await embedder.embed(texts);
    for (const [i, text] of texts.entries()) {
      const [single] = await embedder.embed([text]);
      expect(dot(batched[i], single)).toBeGreaterThan(0.9999);
    }
  });

  test('similar commands are closer than unrelated text (cosine, reference values 0.321 and 0.224)', async () => {
    const [stop, halt, weather] = await embedder.embed(['Please stop moving right now', 'Halt immediately', 'What is the weather like today?']);
    expect(dot(stop, halt)).toBeCloseTo(0.321, 2);
    expect(dot(stop, weather)).toBeCloseTo(0.224, 2);
  });
});

describe('intent classification by nearest labelled examples', () => {
  test('"Please stop moving right now" is stop', async () => {
    const output = await classifier.understand('Please stop moving right now');
    expect(output.result.intent).toBe('stop');
    expect(output.result.confidence).toBeGreaterThan(0.5);
    expect(output.result.entities).toEqual({});
    expect(output.model).toEqual({ id: 'all-minilm-l6-v2-q', kind: 'real' });
    expect(output.timings.inference_ms).toBeGreaterThan(0);
  });

  test('at least 90% of the labelled utterances (none of them an example) get their intent', async () => {
    const utterances = await labelledUtterances('nlu-utterances.json');
    const examples = new Set(Object.values((await readIntentsFile(INTENTS_FILE)).intents).flatMap((i) => i.examples.map((e) => e.toLowerCase())));
    expect(utterances.length).toBeGreaterThanOrEqual(40);
    expect(utterances.filter((u) => examples.has(u.text.toLowerCase()))).toEqual([]);
    const misses: string[] = [];
    for (const utterance of utterances) {
      const { intent, confidence } = (await classifier.understand(utterance.text)).result;
      if (intent !== utterance.intent) misses.push(`"${utterance.text}": ${intent} (${confidence.toFixed(3)}), expected ${utterance.intent}`);
    }
    const accuracy = 1 - misses.length / utterances.length;
    console.log(`NLU accuracy: ${(accuracy * 100).toFixed(1)}% (${utterances.length - misses.length}/${utterances.length})${misses.length ? `\n  ${misses.join('\n  ')}` : ''}`);
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
  });

  test('entities: place for go_to, distance and unit for moves, angle for turns', async () => {
    const utterances = await labelledUtterances('nlu-utterances.json');
    for (const utterance of utterances.filter((u) => u.entities)) {
      const { intent, entities } = (await classifier.understand(utterance.text)).result;
      if (intent === utterance.intent) expect({ text: utterance.text, entities }).toEqual({ text: utterance.text, entities: utterance.entities });
    }
    expect((await classifier.understand('Go to the kitchen please.')).result).toMatchObject({ intent: 'go_to', entities: { place: 'kitchen' } });
  });

  test('text unlike any robot command is unknown, with its best similarity as confidence', async () => {
    const { result } = await classifier.understand('The quarterly tax report is due next Tuesday');
    expect(result.intent).toBe('unknown');
    expect(result.confidence).toBeLessThan(0.4);
  });

  test('empty, blank and over-long text is ModelInputError', async () => {
    await expect(classifier.understand('')).rejects.toThrow(new ModelInputError('text must not be empty'));
    await expect(classifier.understand('   ')).rejects.toThrow(ModelInputError);
    await expect(classifier.understand('x'.repeat(2001))).rejects.toThrow(/at most 2000 are accepted/);
  });

  test('an aborted signal stops before inference', async () => {
    await expect(classifier.understand('stop', { signal: AbortSignal.abort() })).rejects.toThrow(/abort/i);
  });
});

describe('intents file', () => {
  const write = async (content: unknown): Promise<string> => {
    const file = path.join(await tempDir('intents'), 'intents.json');
    await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };

  test('mistakes are reported with the file and the field', async () => {
    await expect(readIntentsFile(await write('{ not json'))).rejects.toThrow(/could not be read/);
    await expect(readIntentsFile(await write({ intents: { stop: { examples: ['stop'] } } }))).rejects.toThrow(/: threshold: Required/);
    await expect(readIntentsFile(await write({ threshold: 0.4, intents: { stop: { examples: [] } } }))).rejects.toThrow(/intents\.stop\.examples: needs at least one example/);
    await expect(readIntentsFile(await write({ threshold: 0.4, intents: { unknown: { examples: ['x'] } } }))).rejects.toThrow(/"unknown" is the answer below the threshold/);
    await expect(readIntentsFile(await write({ threshold: 0.4, intents: { go: { examples: ['go'], entities: { place: 'to (\\w+)' } } } }))).rejects.toThrow(
      /intents\.go\.entities\.place: the pattern has no named group \(\?<place>/,
    );
  });

  test('OFFLOAD_INTENTS_FILE-style custom files are used: a classifier answers only their intents', async () => {
    const file = await write({ threshold: 0.3, intents: { dance: { examples: ['dance for me', 'do a little dance', 'show me your moves'] } } });
    const custom = await MiniLmIntentClassifier.load({ manifest: MINILM_INTENT, dir: await installedModel(MINILM_INTENT), executionProvider: 'cpu', intentsFile: file });
    try {
      expect((await custom.understand('Can you dance?')).result.intent).toBe('dance');
      expect((await custom.understand('Please stop moving right now')).result.intent).not.toBe('stop');
    } finally {
      await custom.close();
    }
  });
});
