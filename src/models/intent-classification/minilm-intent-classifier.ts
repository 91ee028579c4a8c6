import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { UnderstandingResult } from '../../shared/model-results';
import type { ModelManifest } from '../registry/model-manifest';
import { SessionHost } from '../threads/session-host';
import { startModelSession } from '../runtime/start-model-session';
import { ModelInputError } from '../registry/model-errors';
import type { CallOptions, ExecutionProvider, InferenceOutput, InstalledModel, IntentClassifier } from '../registry/model-capabilities';
import { extractEntities } from './extract-entities';
import { IntentIndex } from './intent-index';
import { defaultIntentsFile, readIntentsFile, type IntentsConfig } from './intents-file';
import { encoderBatch, SentenceEmbedder } from './sentence-embedder';
import { WordPieceTokenizer } from './wordpiece-tokenizer';

export interface MiniLmIntentClassifierOptions {
  manifest: ModelManifest;
  /** The model's directory (the .onnx file and tokenizer.json). */
  dir: string;
  executionProvider: ExecutionProvider;
  /** onnxruntime intra-op threads (default 1). */
  intraOpThreads?: number;
  /** Labelled example utterances per intent (default: config/intents.json in the checkout). */
  intentsFile?: string;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/** Longest utterance accepted, in characters (the encoder sees at most its max length in tokens anyway). */
const MAX_TEXT_CHARS = 2000;

/** Robot commands from text: MiniLM sentence embeddings compared with labelled examples (nearest neighbours by cosine). */
export class MiniLmIntentClassifier implements IntentClassifier {
  private constructor(
    readonly model: InstalledModel,
    private readonly host: SessionHost,
    private readonly embedder: SentenceEmbedder,
    private readonly index: IntentIndex,
    private readonly intents: IntentsConfig,
  ) {}

  static async load(options: MiniLmIntentClassifierOptions): Promise<MiniLmIntentClassifier> {
    const { manifest, dir } = options;
    const onnx = manifest.files.find((file) => file.name.endsWith('.onnx'));
    if (!onnx) throw new Error(`${manifest.id}: manifest lists no .onnx file`);
    const tokenizer = await WordPieceTokenizer.fromFile(path.join(dir, 'tokenizer.json'));
    const intentsFile = options.intentsFile ?? defaultIntentsFile();
    const intents = await readIntentsFile(intentsFile);
    const host = await startModelSession(options, onnx.name, () => encoderBatch(tokenizer, ['warm up the sentence encoder']).feeds);
    try {
      const embedder = new SentenceEmbedder(host, tokenizer);
      const labelled = Object.entries(intents.intents).flatMap(([intent, { examples }]) => examples.map((text) => ({ intent, text })));
      const embeddings = await embedder.embed(labelled.map((example) => example.text));
      const index = new IntentIndex(
        labelled.map(({ intent }, i) => ({ intent, embedding: embeddings[i] })),
        intents.threshold,
        intents.neighbours,
      );
      options.log?.('intent examples embedded', { model: manifest.id, intentsFile, intents: Object.keys(intents.intents).length, examples: labelled.length });
      const model: InstalledModel = { id: manifest.id, taskTypes: [...manifest.taskTypes], kind: manifest.kind, dir };
      return new MiniLmIntentClassifier(model, host, embedder, index, intents);
    } catch (error) {
      await host.close();
      throw error;
    }
  }

  get executionProvider(): ExecutionProvider {
    return this.host.executionProvider;
  }

  async understand(text: string, options: CallOptions = {}): Promise<InferenceOutput<UnderstandingResult>> {
    if (typeof text !== 'string' || text.trim() === '') throw new ModelInputError('text must not be empty');
    if (text.length > MAX_TEXT_CHARS) throw new ModelInputError(`text is ${text.length} characters, at most ${MAX_TEXT_CHARS} are accepted`);
    options.signal?.throwIfAborted();
    const started = performance.now();
    const batch = this.embedder.encode([text]);
    const encoded = performance.now();
    const [embedding] = await this.embedder.run(batch);
    const inferred = performance.now();
    const match = this.index.classify(embedding);
    const patterns = match.intent in this.intents.intents ? this.intents.intents[match.intent].entities : {};
    const entities = extractEntities(text, patterns);
    const finished = performance.now();
    return {
      result: { intent: match.intent, confidence: round(match.confidence), entities },
      model: { id: this.model.id, kind: this.model.kind },
      timings: { preprocess_ms: encoded - started, inference_ms: inferred - encoded, postprocess_ms: finished - inferred },
    };
  }

  /** Every intent's score for `text`, best first (for tuning the examples and the threshold). */
  async scores(text: string): Promise<{ intent: string; score: number }[]> {
    const [embedding] = await this.embedder.embed([text]);
    return this.index.classify(embedding).scores;
  }

  close(): Promise<void> {
    return this.host.close();
  }
}

function round(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
