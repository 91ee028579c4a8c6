import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { SpeechResult } from '../../shared/model-results';
import type { LoadContext } from '../runtime/load-context';
import { SessionHost } from '../threads/session-host';
import { startModelSession } from '../runtime/start-model-session';
import type { WireTensors } from '../threads/session-protocol';
import type { ExecutionProvider, InferenceOutput, InstalledModel, Synthesizer, SynthesizeOptions } from '../registry/model-capabilities';
import { EspeakPhonemizer } from './espeak-phonemizer';
import { phonemeIds } from './phoneme-ids';
import { splitSentences, type Clause } from './sentences';
import { checkSpeechText, SpeechAssembly } from './speech-assembly';
import { unknownVoiceError } from './unknown-voice';
import { languageOfVoice, voiceFit, type SpokenVoice, type VoiceFit, type VoiceRequest } from './voice-fit';
import { readVoiceConfig, type PiperVoiceConfig } from './voice-config';

/** Piper joins a clause's phonemes with its punctuation; a clause inside a sentence is followed by a space. */
export function sentencePhonemes(clauses: Clause[], phonemes: string[]): string {
  return clauses
    .map((clause, i) => (phonemes[i].trim() ? `${phonemes[i].trim()}${clause.end}` : ''))
    .filter(Boolean)
    .join(' ');
}

/**
 * Piper (VITS) text to speech: sentences → espeak-ng IPA (phonemizer thread) → phoneme ids → the
 * voice's ONNX session (session thread) → 16-bit PCM, one sentence at a time so the first audio is
 * out early (`onChunk`) and cancellation is seen between sentences.
 */
export class PiperSynthesizer implements Synthesizer {
  private readonly spoken: SpokenVoice;

  private constructor(
    readonly model: InstalledModel,
    private readonly config: PiperVoiceConfig,
    private readonly voice: string,
    private readonly host: SessionHost,
    private readonly phonemizer: EspeakPhonemizer,
  ) {
    const language = config.language?.code ?? '';
    const names = [model.id, voice, config.dataset ?? '', language, language.replace('_', '-'), config.espeak.voice, language.split('_')[0]];
    this.spoken = {
      names: new Set(names.filter(Boolean).map((name) => name.toLowerCase())),
      language: languageOfVoice(language) ?? languageOfVoice(config.espeak.voice) ?? config.espeak.voice,
    };
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
   * name this voice (`default`, the model id, `en_US-joe-medium`, `joe`, `en_US`, `en-us`) or another
   * voice of its language (`options.language` or the name's own, `en_GB-alan-low` → `en`).
   * Each sentence goes to `options.onChunk` as soon as it is ready, in order, and `result.chunks`
   * says where each lies in the WAV.
   */
  async synthesize(text: string, options: SynthesizeOptions = {}): Promise<InferenceOutput<SpeechResult>> {
    checkSpeechText(text);
    if (this.voiceFit(options) === 'none') throw unknownVoiceError(options, this.voice, this.spoken);
    const sentences = splitSentences(text);
    const started = performance.now();
    const timings = { preprocess_ms: 0, inference_ms: 0, postprocess_ms: 0 };
    const assembly = new SpeechAssembly(this.sampleRate);
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
      const chunk = assembly.add(clauses.map((c) => c.text + c.end).join(' '), audio.data as Float32Array);
      timings.postprocess_ms += performance.now() - mark;
      options.onChunk?.(chunk);
    }
    return assembly.output({ id: this.model.id, kind: this.model.kind }, timings, started);
  }

  /** This voice's fit for a request (voice-fit.ts): its names, or its language (`en` for en_US-joe-medium). */
  voiceFit(request: VoiceRequest): VoiceFit {
    return voiceFit(this.spoken, request);
  }

  async close(): Promise<void> {
    await Promise.all([this.host.close(), this.phonemizer.close()]);
  }
}
