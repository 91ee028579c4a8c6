import { existsSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { TranscriptionResult } from '../../shared/model-results';
import { decodeAudio } from '../audio';
import type { LoadContext } from '../runtime/load-context';
import { SessionHost } from '../threads/session-host';
import { startModelSession } from '../runtime/start-model-session';
import type { WireTensor } from '../threads/session-protocol';
import { ModelInputError } from '../registry/model-errors';
import { languageCode } from '../registry/model-languages';
import type { AudioInput, CallOptions, ExecutionProvider, InferenceOutput, InstalledModel, Transcriber } from '../registry/model-capabilities';
import { VoiceActivityDetector } from '../voice-activity-detection/voice-activity-detector';
import { beamSearch, type BeamSearchResult } from './beam-search';
import { encoderFrames, firstFrames } from './encoder-window';
import { CHUNK_FRAMES, CHUNK_SAMPLES, LogMelExtractor, WHISPER_SAMPLE_RATE } from './log-mel';
import { isMultilingual, readWhisperConfig, type WhisperConfig } from './whisper-config';
import { WhisperDecoder } from './whisper-decoder';
import { WhisperTokenizer } from './whisper-tokenizer';

/** Whisper's no-speech rule (openai/whisper transcribe.py): both must hold for a window to count as silent. */
const NO_SPEECH_THRESHOLD = 0.6;
const LOGPROB_THRESHOLD = -1;
/** Whisper's default sample length: half the decoder context. */
const MAX_TEXT_TOKENS = 224;
/** Audio kept around the speech the VAD found. */
const SPEECH_PAD_MS = 300;

export interface WhisperTranscriberOptions {
  /** Trims silence before recognition and tells "no speech" apart; without it Whisper's own no-speech rule decides. */
  vad?: VoiceActivityDetector;
  /** Beams searched (default 5, as openai-whisper's CLI and faster-whisper); 1 = greedy decoding. */
  beamSize?: number;
}

const DEFAULT_BEAM_SIZE = 5;

interface Sessions {
  encoder: SessionHost;
  decoders: SessionHost[];
}

function layoutOf(dir: string): { decoder: string; withPast?: string } {
  if (existsSync(path.join(dir, 'decoder_model_merged.onnx'))) return { decoder: 'decoder_model_merged.onnx' };
  if (existsSync(path.join(dir, 'decoder_model.onnx')) && existsSync(path.join(dir, 'decoder_with_past_model.onnx'))) {
    return { decoder: 'decoder_model.onnx', withPast: 'decoder_with_past_model.onnx' };
  }
  throw new Error(`${dir}: no Whisper decoder (decoder_model_merged.onnx, or decoder_model.onnx + decoder_with_past_model.onnx)`);
}

/**
 * Whisper speech recognition from the standard ONNX export layout (encoder_model.onnx, a merged or
 * split decoder with past key values, config.json, tokenizer.json): log-mel features computed here,
 * encoder and decoder sessions in worker threads, greedy decoding without timestamps.
 */
export class WhisperTranscriber implements Transcriber {
  private readonly mel: LogMelExtractor;

  private constructor(
    readonly model: InstalledModel,
    private readonly sessions: Sessions,
    private readonly decoder: WhisperDecoder,
    private readonly tokenizer: WhisperTokenizer,
    private readonly config: WhisperConfig,
    private readonly options: WhisperTranscriberOptions,
  ) {
    this.mel = new LogMelExtractor(config.num_mel_bins);
  }

  /** `options.vad` defaults to the VAD the runtime loaded (when `silero-vad` is installed). */
  static async load(context: LoadContext, options: WhisperTranscriberOptions = { vad: VoiceActivityDetector.loadedBy(context) }): Promise<WhisperTranscriber> {
    const { manifest, dir } = context;
    const beamSize = options.beamSize ?? DEFAULT_BEAM_SIZE;
    if (!Number.isInteger(beamSize) || beamSize < 1 || beamSize > 16) throw new Error(`whisper beamSize must be a whole number from 1 to 16, got ${beamSize}`);
    const config = await readWhisperConfig(path.join(dir, 'config.json'));
    const tokenizer = await WhisperTokenizer.fromFile(path.join(dir, 'tokenizer.json'));
    const layout = layoutOf(dir);
    const start = (file: string, warmupFeeds: () => Record<string, WireTensor>): Promise<SessionHost> =>
      startModelSession(context, file, warmupFeeds, `${manifest.id}/${file}`);
    const encoderStates = (): WireTensor => ({
      type: 'float32',
      data: new Float32Array(config.max_source_positions * config.d_model),
      dims: [1, config.max_source_positions, config.d_model],
    });
    const sessions: Sessions = { encoder: await start('encoder_model.onnx', () => ({ input_features: melTensor(new Float32Array(config.num_mel_bins * CHUNK_FRAMES), config) })), decoders: [] };
    try {
      const warmDecoder = (withCache: boolean) => () => warmupDecoderFeeds(config, tokenizer, encoderStates(), withCache);
      const first = await start(layout.decoder, warmDecoder(false));
      sessions.decoders.push(first);
      const withPast = layout.withPast ? await start(layout.withPast, warmDecoder(true)) : first;
      if (withPast !== first) sessions.decoders.push(withPast);
      const model: InstalledModel = { id: manifest.id, taskTypes: [...manifest.taskTypes], kind: manifest.kind, dir };
      const transcriber = new WhisperTranscriber(model, sessions, new WhisperDecoder(first, withPast, config), tokenizer, config, options);
      // Compiles the front end's hot loops now, not during the first task (keeps the event loop responsive).
      await transcriber.mel.extract(new Float32Array(WHISPER_SAMPLE_RATE));
      if (options.vad) context.log('whisper trims silence with the VAD', { model: manifest.id, vad: options.vad.model.id });
      return transcriber;
    } catch (error) {
      await closeAll(sessions);
      throw error;
    }
  }

  get executionProvider(): ExecutionProvider {
    return this.sessions.encoder.executionProvider;
  }

  get beamSize(): number {
    return this.options.beamSize ?? DEFAULT_BEAM_SIZE;
  }

  get multilingual(): boolean {
    return isMultilingual(this.config);
  }

  async transcribe(audio: AudioInput, options: CallOptions = {}): Promise<InferenceOutput<TranscriptionResult>> {
    const requested = this.checkLanguage(audio.language);
    const started = performance.now();
    const decoded = decodeAudio(audio, WHISPER_SAMPLE_RATE);
    const audioMs = (decoded.samples.length / WHISPER_SAMPLE_RATE) * 1000;
    let samples = decoded.samples;
    let vadMs = 0;
    if (this.options.vad) {
      const vadStarted = performance.now();
      const trimmed = await this.options.vad.trim(samples, { signal: options.signal });
      vadMs = performance.now() - vadStarted;
      if (trimmed.segments.length === 0) {
        return this.output({ text: '', language: requested ?? 'en', confidence: 0, no_speech: true }, started, { audioMs, vadMs, speechMs: 0 });
      }
      samples = widen(decoded.samples, trimmed.startMs, trimmed.endMs, SPEECH_PAD_MS);
    }
    const speechMs = (samples.length / WHISPER_SAMPLE_RATE) * 1000;

    let encoderMs = 0;
    let decoderMs = 0;
    let melMs = 0;
    const texts: string[] = [];
    const probabilities: number[] = [];
    let language = requested ?? 'en';
    let silentWindows = 0;
    const windows = Math.max(1, Math.ceil(samples.length / CHUNK_SAMPLES));
    const promptTokens = this.promptTokens(audio.prompt);
    for (let w = 0; w < windows; w++) {
      options.signal?.throwIfAborted();
      const melStarted = performance.now();
      const window = samples.subarray(w * CHUNK_SAMPLES, (w + 1) * CHUNK_SAMPLES);
      const frames = encoderFrames(window.length, this.config.short_windows === true);
      const features = firstFrames(await this.mel.extract(window), this.config.num_mel_bins, frames);
      const encoderStarted = performance.now();
      const encoded = await this.sessions.encoder.run({ input_features: melTensor(features, this.config, frames) });
      const states = encoded[this.sessions.encoder.outputNames[0]];
      const decoderStarted = performance.now();
      const search = await beamSearch(
        (ids, cache) => this.decoder.step(ids, states, cache),
        (cache, sources) => this.decoder.select(cache, sources),
        {
          special: this.tokenizer.special,
          multilingual: this.multilingual,
          language: requested,
          maxTokens: Math.min(MAX_TEXT_TOKENS, this.config.max_target_positions - 5 - (promptTokens?.length ?? 0)),
          beamSize: this.beamSize,
          suppressTokens: this.config.suppress_tokens,
          beginSuppressTokens: this.config.begin_suppress_tokens ?? [this.tokenizer.idOf('Ġ'), this.tokenizer.special.endOfText].filter((id) => id !== undefined),
          promptTokens,
          signal: options.signal,
        },
      );
      const decoderFinished = performance.now();
      melMs += encoderStarted - melStarted;
      encoderMs += decoderStarted - encoderStarted;
      decoderMs += decoderFinished - decoderStarted;
      language = search.language;
      if (isSilent(search)) {
        silentWindows++;
        continue;
      }
      texts.push(this.tokenizer.decode(search.tokens));
      probabilities.push(...search.probabilities);
    }
    const text = texts.join(' ').replace(/\s+/g, ' ').trim();
    const confidence = probabilities.length ? probabilities.reduce((sum, p) => sum + p, 0) / probabilities.length : 0;
    const result: TranscriptionResult = { text, language, confidence };
    if (silentWindows === windows || text === '') result.no_speech = true;
    return this.output(result, started, { audioMs, vadMs, speechMs, melMs, encoderMs, decoderMs, tokens: probabilities.length });
  }

  close(): Promise<void> {
    return closeAll(this.sessions);
  }

  /** Whisper keeps the last half of its context for the prompt (openai/whisper: n_text_ctx // 2 - 1 tokens). */
  private promptTokens(prompt: string | undefined): number[] | undefined {
    if (!prompt?.trim()) return undefined;
    const tokens = this.tokenizer.encode(` ${prompt.trim()}`);
    return tokens?.slice(-(Math.floor(this.config.max_target_positions / 2) - 1));
  }

  private checkLanguage(language: string | undefined): string | undefined {
    if (language === undefined || language === '') return undefined;
    const code = languageCode(language);
    if (!this.multilingual) {
      if (code !== 'en') throw new ModelInputError(`model ${this.model.id} transcribes English only, got language "${language}"`);
      return 'en';
    }
    if (!this.tokenizer.special.languages.has(code)) throw new ModelInputError(`language "${language}" is not one Whisper knows (use a code such as en, de, pl)`);
    return code;
  }

  private output(
    result: TranscriptionResult,
    started: number,
    t: { audioMs: number; vadMs: number; speechMs: number; melMs?: number; encoderMs?: number; decoderMs?: number; tokens?: number },
  ): InferenceOutput<TranscriptionResult> {
    const total = performance.now() - started;
    const inference = (t.encoderMs ?? 0) + (t.decoderMs ?? 0);
    const preprocess = t.vadMs + (t.melMs ?? 0);
    return {
      result,
      model: { id: this.model.id, kind: this.model.kind },
      timings: {
        preprocess_ms: preprocess,
        inference_ms: inference,
        postprocess_ms: Math.max(0, total - preprocess - inference),
        vad_ms: t.vadMs,
        mel_ms: t.melMs ?? 0,
        encoder_ms: t.encoderMs ?? 0,
        decoder_ms: t.decoderMs ?? 0,
        decoded_tokens: t.tokens ?? 0,
        audio_ms: t.audioMs,
        speech_ms: t.speechMs,
        real_time_factor: t.audioMs > 0 ? total / t.audioMs : 0,
      },
    };
  }
}

function melTensor(features: Float32Array, config: WhisperConfig, frames: number = CHUNK_FRAMES): WireTensor {
  return { type: 'float32', data: features, dims: [1, config.num_mel_bins, frames] };
}

/** Whisper counts a window as silent when the no-speech token is likely and the text unlikely. */
function isSilent(search: BeamSearchResult): boolean {
  return search.noSpeechProbability > NO_SPEECH_THRESHOLD && search.averageLogProbability < LOGPROB_THRESHOLD;
}

/** The speech span with `padMs` of the surrounding audio kept on each side (Whisper does worse on abruptly cut speech). */
function widen(samples: Float32Array, startMs: number, endMs: number, padMs: number): Float32Array {
  const toSample = (ms: number): number => Math.round((ms * WHISPER_SAMPLE_RATE) / 1000);
  return samples.subarray(Math.max(0, toSample(startMs - padMs)), Math.min(samples.length, toSample(endMs + padMs)));
}

function warmupDecoderFeeds(config: WhisperConfig, tokenizer: WhisperTokenizer, states: WireTensor, withCache: boolean): Record<string, WireTensor> {
  const heads = config.decoder_attention_heads;
  const headDim = config.d_model / heads;
  const feeds: Record<string, WireTensor> = {
    input_ids: { type: 'int64', data: BigInt64Array.of(BigInt(tokenizer.special.startOfTranscript)), dims: [1, 1] },
    encoder_hidden_states: states,
    use_cache_branch: { type: 'bool', data: Uint8Array.of(0), dims: [1] },
  };
  const past = withCache ? 1 : 0;
  for (let layer = 0; layer < config.decoder_layers; layer++) {
    for (const side of ['decoder', 'encoder']) {
      const length = side === 'encoder' && withCache ? config.max_source_positions : past;
      for (const kind of ['key', 'value']) {
        feeds[`past_key_values.${layer}.${side}.${kind}`] = { type: 'float32', data: new Float32Array(heads * length * headDim), dims: [1, heads, length, headDim] };
      }
    }
  }
  return feeds;
}

async function closeAll(sessions: Sessions): Promise<void> {
  await Promise.all([sessions.encoder, ...sessions.decoders].map((host) => host.close()));
}
