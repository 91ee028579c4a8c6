import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { SpeechChunkInfo, SpeechResult } from '../../shared/model-results';
import { encodeWav } from '../audio';
import type { LoadContext } from '../runtime/load-context';
import { SessionHost } from '../threads/session-host';
import { startModelSession } from '../runtime/start-model-session';
import type { WireTensors } from '../threads/session-protocol';
import { ModelInputError } from '../registry/model-errors';
import type { ExecutionProvider, InferenceOutput, InstalledModel, Synthesizer, SynthesizeOptions } from '../registry/model-capabilities';
import { EspeakPhonemizer } from './espeak-phonemizer';
import { phonemeIds } from './phoneme-ids';
import { splitSentences, type Clause } from './sentences';
import { readVoiceConfig, type PiperVoiceConfig } from './voice-config';

/** Longest text one call speaks (the task validator's limit too). */
export const MAX_TTS_TEXT_CHARS = 2000;
/** Pause between sentences, at the start of every chunk but the first (Piper's `sentence_silence` default). */
export const SENTENCE_PAUSE_MS = 200;
/** Each sentence is scaled so its loudest sample reaches this fraction of full scale (Piper scales to 1.0). */
const PEAK_LEVEL = 0.9;

/** Piper joins a clause's phonemes with its punctuation; a clause inside a sentence is followed by a space. */
export function sentencePhonemes(clauses: Clause[], phonemes: string[]): string {
  return clauses
    .map((clause, i) => (phonemes[i].trim() ? `${phonemes[i].trim()}${clause.end}` : ''))
    .filter(Boolean)
    .join(' ');
}

/** 16-bit PCM scaled so the loudest sample sits at PEAK_LEVEL; plain indexed loops, as this runs on the event loop. */
function pcm16AtPeak(audio: Float32Array): Int16Array {
  let peak = 0.01;
  for (let i = 0; i < audio.length; i++) {
    const magnitude = audio[i] < 0 ? -audio[i] : audio[i];
    if (magnitude > peak) peak = magnitude;
  }
  const scale = (PEAK_LEVEL / peak) * 32767;
  const out = new Int16Array(audio.length);
  for (let i = 0; i < audio.length; i++) {
    const value = audio[i] * scale;
    out[i] = value < 0 ? value - 0.5 : value + 0.5;
  }
  return out;
}

function concat(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Piper (VITS) text to speech: sentences → espeak-ng IPA (phonemizer thread) → phoneme ids → the
 * voice's ONNX session (session thread) → 16-bit PCM, one sentence at a time so the first audio is
 * out early (`onChunk`) and cancellation is seen between sentences.
 */
export class PiperSynthesizer implements Synthesizer {
  private readonly voiceNames: Set<string>;

  private constructor(
    readonly model: InstalledModel,
    private readonly config: PiperVoiceConfig,
    private readonly voice: string,
    private readonly host: SessionHost,
    private readonly phonemizer: EspeakPhonemizer,
  ) {
    const language = config.language?.code ?? '';
    this.voiceNames = new Set(
      ['default', model.id, voice, config.dataset ?? '', language, language.replace('_', '-'), config.espeak.voice, language.split('_')[0]]
        .filter(Boolean)
        .map((name) => name.toLowerCase()),
    );
  }

  static async load(context: LoadContext): Promise<PiperSynthesizer> {
    const { manifest, dir } = context;
    const onnx = manifest.files.find((file) => file.name.endsWith('.onnx'));
    const json = manifest.files.find((file) => file.name.endsWith('.onnx.json'));
    if (!onnx || !json) throw new Error(`${manifest.id}: a Piper voice needs an .onnx file and its .onnx.json`);
    const config = await readVoiceConfig(path.join(dir, json.name));
    const [host, phonemizer] = await Promise.allSettled([
      startModelSession(context, onnx.name, () => PiperSynthesizer.feeds(phonemeIds('həlˈoʊ.', config).ids, config)),
      EspeakPhonemizer.start(config.espeak.voice),
    ]);
    if (host.status === 'rejected' || phonemizer.status === 'rejected') {
      if (host.status === 'fulfilled') await host.value.close();
      if (phonemizer.status === 'fulfilled') await phonemizer.value.close();
      throw host.status === 'rejected' ? host.reason : (phonemizer as PromiseRejectedResult).reason;
    }
    const model: InstalledModel = { id: manifest.id, taskTypes: [...manifest.taskTypes], kind: manifest.kind, dir };
    return new PiperSynthesizer(model, config, onnx.name.replace(/\.onnx$/, ''), host.value, phonemizer.value);
  }

  private static feeds(ids: number[], config: PiperVoiceConfig): WireTensors {
    const { noise_scale, length_scale, noise_w } = config.inference;
    const feeds: WireTensors = {
      input: { type: 'int64', data: BigInt64Array.from(ids, BigInt), dims: [1, ids.length] },
      input_lengths: { type: 'int64', data: BigInt64Array.of(BigInt(ids.length)), dims: [1] },
      scales: { type: 'float32', data: Float32Array.of(noise_scale, length_scale, noise_w), dims: [3] },
    };
    if (config.num_speakers > 1) feeds.sid = { type: 'int64', data: BigInt64Array.of(0n), dims: [1] };
    return feeds;
  }

  get executionProvider(): ExecutionProvider {
    return this.host.executionProvider;
  }

  get sampleRate(): number {
    return this.config.audio.sample_rate;
  }

  /**
   * Speaks `text` (at most MAX_TTS_TEXT_CHARS) sentence by sentence; `options.voice` may be omitted or
   * name this voice (`default`, the model id, `en_US-joe-medium`, `joe`, `en`, `en_US`, `en-us`).
   * Each sentence goes to `options.onChunk` as soon as it is ready, in order, and `result.chunks`
   * says where each lies in the WAV.
   */
  async synthesize(text: string, options: SynthesizeOptions = {}): Promise<InferenceOutput<SpeechResult>> {
    this.checkInput(text, options.voice);
    const sentences = splitSentences(text);
    const started = performance.now();
    const timings = { preprocess_ms: 0, inference_ms: 0, postprocess_ms: 0 };
    const pause = new Int16Array(Math.round((SENTENCE_PAUSE_MS / 1000) * this.sampleRate));
    const chunks: SpeechChunkInfo[] = [];
    const parts: Int16Array[] = [];
    let offset = 0;
    for (const clauses of sentences) {
      options.signal?.throwIfAborted();
      let mark = performance.now();
      const phonemes = sentencePhonemes(clauses, await this.phonemizer.phonemize(clauses.map((clause) => clause.text)));
      const { ids } = phonemeIds(phonemes, this.config);
      timings.preprocess_ms += performance.now() - mark;
      if (ids.length <= 3) continue;
      mark = performance.now();
      const outputs = await this.host.run(PiperSynthesizer.feeds(ids, this.config));
      timings.inference_ms += performance.now() - mark;
      mark = performance.now();
      const audio = outputs[this.host.outputNames[0]];
      if (audio?.type !== 'float32') throw new Error(`${this.model.id}: expected float32 audio, got ${audio?.type}`);
      const speech = pcm16AtPeak(audio.data as Float32Array);
      const pcm = chunks.length > 0 ? concat([pause, speech]) : speech;
      const seq = chunks.length;
      chunks.push({ seq, text: clauses.map((c) => c.text + c.end).join(' '), start_sample: offset, samples: pcm.length, duration_ms: (pcm.length / this.sampleRate) * 1000 });
      parts.push(pcm);
      offset += pcm.length;
      timings.postprocess_ms += performance.now() - mark;
      options.onChunk?.({ pcm, sampleRate: this.sampleRate, seq });
    }
    if (chunks.length === 0) throw new ModelInputError('text has nothing speakable (no words espeak-ng could pronounce)');

    const mark = performance.now();
    const wav = encodeWav(concat(parts), this.sampleRate);
    const finished = performance.now();
    timings.postprocess_ms += finished - mark;
    const durationMs = (offset / this.sampleRate) * 1000;
    return {
      result: { audio_base64: Buffer.from(wav).toString('base64'), format: 'wav', sample_rate: this.sampleRate, duration_ms: durationMs, chunks },
      model: { id: this.model.id, kind: this.model.kind },
      timings: { ...timings, real_time_factor: (finished - started) / durationMs },
    };
  }

  private checkInput(text: string, voice: string | undefined): void {
    if (typeof text !== 'string' || text.trim() === '') throw new ModelInputError('text is empty: give the words to speak');
    if (text.length > MAX_TTS_TEXT_CHARS) {
      throw new ModelInputError(`text is ${text.length} characters long, over the ${MAX_TTS_TEXT_CHARS}-character limit of one speech task`);
    }
    if (voice !== undefined && voice !== '' && !this.voiceNames.has(voice.toLowerCase())) {
      throw new ModelInputError(`unknown voice "${voice}": this worker speaks with ${this.voice} (also called ${[...this.voiceNames].join(', ')})`);
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.host.close(), this.phonemizer.close()]);
  }
}
