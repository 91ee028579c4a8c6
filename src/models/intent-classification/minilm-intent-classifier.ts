import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { UnderstandingResult } from '../../shared/model-results';
import type { ModelManifest } from '../registry/model-manifest';
import { SessionHost } from '../threads/session-host';
import { startModelSession } from '../runtime/start-model-session';
import { LanguageNotSupportedError, ModelInputError } from '../registry/model-errors';
import type { ExecutionProvider, InferenceOutput, InstalledModel, IntentClassifier, UnderstandOptions } from '../registry/model-capabilities';
import { extractEntities } from './extract-entities';
import { defaultIntentsFile, intentsFilesByLanguage } from './intents-file';
import { embedLanguageIntents, type LanguageIntents } from './language-intents';
import { encoderBatch, SentenceEmbedder } from './sentence-embedder';
import { WordPieceTokenizer } from './wordpiece-tokenizer';

export interface MiniLmIntentClassifierOptions {
  manifest: ModelManifest;
  /** The model's directory (the .onnx file and tokenizer.json). */
  dir: string;
  executionProvider: ExecutionProvider;
  /** onnxruntime intra-op threads (default 1). */
  intraOpThreads?: number;
  /** Labelled example utterances per intent, English (default: config/intents.json in the checkout); `<name>.<xx>.json` beside it is language `xx`. */
  intentsFile?: string;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/** Longest utterance accepted, in characters (the encoder sees at most its max length in tokens anyway). */
const MAX_TEXT_CHARS = 2000;

/** The language of a task that names none. */
export const DEFAULT_NLU_LANGUAGE = 'en';

/**
 * Robot commands from text, per language (one intents file each): the file's keyword rules first,
 * else MiniLM sentence embeddings compared with its labelled examples (nearest neighbours by cosine).
 */
export class MiniLmIntentClassifier implements IntentClassifier {
  private constructor(
    readonly model: InstalledModel,
    private readonly host: SessionHost,
    private readonly embedder: SentenceEmbedder,
    private readonly languages: ReadonlyMap<string, LanguageIntents>,
  ) {}

  static async load(options: MiniLmIntentClassifierOptions): Promise<MiniLmIntentClassifier> {
    const { manifest, dir } = options;
    const onnx = manifest.files.find((file) => file.name.endsWith('.onnx'));
    if (!onnx) throw new Error(`${manifest.id}: manifest lists no .onnx file`);
    const tokenizer = await WordPieceTokenizer.fromFile(path.join(dir, 'tokenizer.json'));
    const files = await intentsFilesByLanguage(options.intentsFile ?? defaultIntentsFile());
    const host = await startModelSession(options, onnx.name, () => encoderBatch(tokenizer, ['warm up the sentence encoder']).feeds);
    try {
      const embedder = new SentenceEmbedder(host, tokenizer);
      const languages = new Map<string, LanguageIntents>();
      for (const [language, file] of files) {
        const loaded = await embedLanguageIntents(embedder, language, file);
        languages.set(language, loaded);
        const intents = Object.keys(loaded.intents.intents).length;
        options.log?.('intent examples embedded', { model: manifest.id, language, intentsFile: file, intents, examples: loaded.examples, keywordRules: loaded.rules.size });
      }
      const model: InstalledModel = { id: manifest.id, taskTypes: [...manifest.taskTypes], kind: manifest.kind, dir };
      return new MiniLmIntentClassifier(model, host, embedder, languages);
    } catch (error) {
      await host.close();
      throw error;
    }
  }

  get executionProvider(): ExecutionProvider {
    return this.host.executionProvider;
  }

  /** The languages it has an intents file for (`en`, `pl`). */
  get intentLanguages(): string[] {
    return [...this.languages.keys()];
  }

  /** `text`'s intent in `options.language` (default `en`; `pl-PL` is `pl`); a language without an intents file is a LanguageNotSupportedError. */
  async understand(text: string, options: UnderstandOptions = {}): Promise<InferenceOutput<UnderstandingResult>> {
    if (typeof text !== 'string' || text.trim() === '') throw new ModelInputError('text must not be empty');
    if (text.length > MAX_TEXT_CHARS) throw new ModelInputError(`text is ${text.length} characters, at most ${MAX_TEXT_CHARS} are accepted`);
    const language = (options.language ?? DEFAULT_NLU_LANGUAGE).trim().toLowerCase().split(/[_-]/)[0];
    const intents = this.languages.get(language);
    if (!intents) throw new LanguageNotSupportedError(language, this.model.id, this.intentLanguages);
    options.signal?.throwIfAborted();
    const started = performance.now();
    const keyword = intents.rules.match(text);
    const timings = { preprocess_ms: 0, inference_ms: 0, postprocess_ms: 0, keyword_ms: performance.now() - started };
    let match = keyword ? { intent: keyword, confidence: 1 } : undefined;
    if (!match) {
      const mark = performance.now();
      const batch = this.embedder.encode([text]);
      const encoded = performance.now();
      const [embedding] = await this.embedder.run(batch);
      timings.preprocess_ms = encoded - mark;
      timings.inference_ms = performance.now() - encoded;
      match = intents.index.classify(embedding);
    }
    const mark = performance.now();
    const patterns = match.intent in intents.intents.intents ? intents.intents.intents[match.intent].entities : {};
    const entities = extractEntities(text, patterns);
    timings.postprocess_ms = performance.now() - mark;
    return {
      result: { intent: match.intent, confidence: round(match.confidence), entities, language, matched_by: keyword ? 'keyword' : 'examples' },
      model: { id: this.model.id, kind: this.model.kind },
      timings,
    };
  }

  /** Every intent's score for `text` by its examples in `language`, best first (for tuning the examples and the threshold). */
  async scores(text: string, language = DEFAULT_NLU_LANGUAGE): Promise<{ intent: string; score: number }[]> {
    const intents = this.languages.get(language);
    if (!intents) throw new LanguageNotSupportedError(language, this.model.id, this.intentLanguages);
    const [embedding] = await this.embedder.embed([text]);
    return intents.index.classify(embedding).scores;
  }

  close(): Promise<void> {
    return this.host.close();
  }
}

function round(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
