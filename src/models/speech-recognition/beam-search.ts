import type { DecoderCache, DecoderStep } from './whisper-decoder';
import type { WhisperSpecialTokens } from './whisper-tokenizer';

/** One decoder forward pass: `ids[b]` are beam b's new tokens; cache undefined on the first pass. */
export type StepFn = (ids: readonly (readonly number[])[], cache: DecoderCache | undefined) => Promise<DecoderStep>;
/** The cache rearranged so that row b continues beam `sources[b]` of the previous step. */
export type SelectFn = (cache: DecoderCache, sources: readonly number[]) => DecoderCache;

export interface BeamSearchOptions {
  special: WhisperSpecialTokens;
  /** Multilingual models get `<|lang|><|transcribe|>` after the start token. */
  multilingual: boolean;
  /** Language code to transcribe (multilingual models); detected from the audio when absent. */
  language?: string;
  /** Most text tokens generated (Whisper's default sample length is 224). */
  maxTokens: number;
  /** 1 = greedy; Whisper's and faster-whisper's default is 5. */
  beamSize: number;
  /** Token ids never generated (besides every special token but `<|endoftext|>`). */
  suppressTokens?: readonly number[];
  /** Token ids not allowed as the first token (Whisper: the space and `<|endoftext|>`). */
  beginSuppressTokens?: readonly number[];
  /** Earlier text (Whisper's initial prompt), fed after `<|startofprev|>`: it steers vocabulary and spelling. */
  promptTokens?: readonly number[];
  signal?: AbortSignal;
}

export interface BeamSearchResult {
  /** Text tokens of the best sequence, without `<|endoftext|>`. */
  tokens: number[];
  /** Probability of each chosen token, the closing `<|endoftext|>` included when it was reached. */
  probabilities: number[];
  /** Mean log probability per token (Whisper's avg_logprob). */
  averageLogProbability: number;
  /** Probability of the no-speech token right after the start token. */
  noSpeechProbability: number;
  language: string;
  /** False when cut at maxTokens before `<|endoftext|>`. */
  finished: boolean;
}

interface Hypothesis {
  tokens: number[];
  probabilities: number[];
  logProbability: number;
  source: number;
  finished: boolean;
}

function row(step: DecoderStep, batchIndex: number, position: 'first' | 'last' | number): Float32Array {
  const positions = step.logits.length / step.vocab / step.batch;
  const at = batchIndex * positions + (position === 'first' ? 0 : position === 'last' ? positions - 1 : position);
  return step.logits.subarray(at * step.vocab, (at + 1) * step.vocab);
}

/** log softmax over the ids whose `allowed` entry is 1; the others get -Infinity. */
function logSoftmax(logits: Float32Array, allowed: Uint8Array): Float64Array {
  const out = new Float64Array(logits.length);
  let max = -Infinity;
  for (let id = 0; id < logits.length; id++) if (allowed[id] === 1 && logits[id] > max) max = logits[id];
  let sum = 0;
  for (let id = 0; id < logits.length; id++) if (allowed[id] === 1) sum += Math.exp(logits[id] - max);
  const logSum = max + Math.log(sum);
  for (let id = 0; id < logits.length; id++) out[id] = allowed[id] === 1 ? logits[id] - logSum : -Infinity;
  return out;
}

/** Ids of the k largest finite values, largest first. */
function topK(values: Float64Array, k: number): number[] {
  const best: number[] = [];
  for (let id = 0; id < values.length; id++) {
    const value = values[id];
    if (value === -Infinity || (best.length === k && value <= values[best[k - 1]])) continue;
    let at = best.length < k ? best.length : k - 1;
    while (at > 0 && values[best[at - 1]] < value) {
      if (at < k) best[at] = best[at - 1];
      at--;
    }
    best[at] = id;
  }
  return best;
}

function probabilityOf(logits: Float32Array, id: number): number {
  return Math.exp(logSoftmax(logits, new Uint8Array(logits.length).fill(1))[id]);
}

/**
 * Whisper decoding without timestamps (openai/whisper decoding.py, BeamSearchDecoder): prompt
 * `<|startoftranscript|>` (+ language and task on multilingual models) `<|notimestamps|>`; each step
 * extends every beam by its beamSize + 1 best tokens and keeps the beamSize best sequences; a
 * sequence ending in `<|endoftext|>` that ranks above the last kept one is set aside, until
 * beamSize have ended; the winner has the
 * best mean log probability per token. Special tokens other than `<|endoftext|>` are never
 * generated. Checks `signal` before every decoder step.
 */
export async function beamSearch(step: StepFn, select: SelectFn, options: BeamSearchOptions): Promise<BeamSearchResult> {
  const { special, signal } = options;
  let language = options.language ?? 'en';
  let noSpeechProbability = 0;
  let current: DecoderStep;
  signal?.throwIfAborted();
  const prompt = options.promptTokens?.length && special.startOfPrev !== undefined ? [special.startOfPrev, ...options.promptTokens] : [];
  if (options.multilingual) {
    const start = await step([[...prompt, special.startOfTranscript]], undefined);
    const first = row(start, 0, 'last');
    if (special.noSpeech !== undefined) noSpeechProbability = probabilityOf(first, special.noSpeech);
    language = options.language ?? detectLanguage(first, special.languages);
    const languageId = special.languages.get(language);
    if (languageId === undefined) throw new Error(`no language token for "${language}"`);
    signal?.throwIfAborted();
    current = await step([[languageId, special.transcribe, special.noTimestamps]], start.cache);
  } else {
    current = await step([[...prompt, special.startOfTranscript, special.noTimestamps]], undefined);
    if (special.noSpeech !== undefined) noSpeechProbability = probabilityOf(row(current, 0, prompt.length), special.noSpeech);
  }

  const vocab = current.vocab;
  const allowed = new Uint8Array(vocab);
  allowed.fill(1, 0, Math.min(vocab, special.endOfText + 1));
  for (const id of options.suppressTokens ?? []) if (id < vocab) allowed[id] = 0;
  const allowedFirst = allowed.slice();
  for (const id of options.beginSuppressTokens ?? []) if (id < vocab) allowedFirst[id] = 0;
  let beams: Hypothesis[] = [{ tokens: [], probabilities: [], logProbability: 0, source: 0, finished: false }];
  const finished: Hypothesis[] = [];
  for (;;) {
    const candidates: Hypothesis[] = [];
    beams.forEach((beam, index) => {
      const logProbabilities = logSoftmax(row(current, index, 'last'), beam.tokens.length === 0 ? allowedFirst : allowed);
      for (const id of topK(logProbabilities, options.beamSize + 1)) {
        const ends = id === special.endOfText;
        candidates.push({
          tokens: ends ? beam.tokens : [...beam.tokens, id],
          probabilities: [...beam.probabilities, Math.exp(logProbabilities[id])],
          logProbability: beam.logProbability + logProbabilities[id],
          source: index,
          finished: ends,
        });
      }
    });
    candidates.sort((a, b) => b.logProbability - a.logProbability);
    const next: Hypothesis[] = [];
    for (const candidate of candidates) {
      if (!candidate.finished) next.push(candidate);
      else if (finished.length < options.beamSize) finished.push(candidate);
      if (next.length === options.beamSize) break;
    }
    if (finished.length >= options.beamSize || next.length === 0) break;
    if (next[0].tokens.length >= options.maxTokens) {
      finished.push(...next);
      break;
    }
    signal?.throwIfAborted();
    current = await step(
      next.map((beam) => [beam.tokens[beam.tokens.length - 1]]),
      select(current.cache, next.map((beam) => beam.source)),
    );
    beams = next;
  }
  const score = (h: Hypothesis): number => h.logProbability / Math.max(1, h.tokens.length);
  const best = finished.reduce((a, b) => (score(b) > score(a) ? b : a));
  return {
    tokens: best.tokens,
    probabilities: best.probabilities,
    averageLogProbability: best.logProbability / best.probabilities.length,
    noSpeechProbability,
    language,
    finished: best.finished,
  };
}

function detectLanguage(logits: Float32Array, languages: Map<string, number>): string {
  let best: [string, number] | undefined;
  for (const [code, id] of languages) if (!best || logits[id] > logits[best[1]]) best = [code, id];
  if (!best) throw new Error('the tokenizer has no language tokens');
  return best[0];
}
