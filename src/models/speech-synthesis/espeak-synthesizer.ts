import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { SpeechResult } from '../../shared/model-results';
import type { LoadContext } from '../runtime/load-context';
import { SessionThreadError } from '../registry/model-errors';
import type { InferenceOutput, InstalledModel, Synthesizer, SynthesizeOptions } from '../registry/model-capabilities';
import { CallConnection } from '../threads/call-connection';
import { RestartingThread } from '../threads/restarting-thread';
import type { EspeakSpeechInit, EspeakSpeechRequest } from './espeak-speech-protocol';
import { splitSentences } from './sentences';
import { checkSpeechText, SpeechAssembly } from './speech-assembly';
import { unknownVoiceError } from './unknown-voice';
import { languageOfVoice, voiceFit, type SpokenVoice, type VoiceFit, type VoiceRequest } from './voice-fit';

/** espeak-ng speaks punctuation alone as silence: such a sentence is left out, as Piper leaves out one without phonemes. */
function audible(audio: Float32Array): boolean {
  for (let i = 0; i < audio.length; i++) if (audio[i] > 1e-3 || audio[i] < -1e-3) return true;
  return false;
}

type SpeechConnection = CallConnection<Omit<EspeakSpeechRequest, 'id'>, Float32Array>;

/** The rate the robot's pcm16 playback runs at (PROTOCOL.md): espeak-ng's 22.05 kHz is resampled to it in the thread. */
export const ESPEAK_SAMPLE_RATE = 16_000;

/**
 * espeak-ng's own voice (formant synthesis, not a neural voice: robotic but clear, and the only Polish
 * voice any registry ships), from the npm package `@echogarden/espeak-ng-emscripten` in a worker
 * thread, one sentence at a time; 16 kHz mono WAV, the same chunks and pauses as a Piper voice.
 */
export class EspeakSynthesizer implements Synthesizer {
  readonly executionProvider = 'cpu' as const;
  private readonly spoken: SpokenVoice;

  private constructor(
    readonly model: InstalledModel,
    private readonly voice: string,
    private readonly thread: RestartingThread<SpeechConnection>,
  ) {
    const names = [model.id, voice, `espeak-ng-${voice}`].map((name) => name.toLowerCase());
    this.spoken = { names: new Set(names), language: languageOfVoice(voice) ?? voice, servesDefault: false };
  }

  /** The manifest's `espeakVoice` (e.g. `pl`), its thread started and warm. */
  static async load(context: Pick<LoadContext, 'manifest' | 'dir'>): Promise<EspeakSynthesizer> {
    const { manifest, dir } = context;
    const voice = manifest.espeakVoice;
    if (!voice) throw new Error(`${manifest.id}: an espeak-ng model needs an espeakVoice`);
    const data = manifest.files.find((file) => file.name.endsWith('.data'));
    if (!data) throw new Error(`${manifest.id}: an espeak-ng model needs its voice data file (espeak-ng.data)`);
    const init: EspeakSpeechInit = { voice, dataFile: path.join(dir, data.name), sampleRate: ESPEAK_SAMPLE_RATE };
    const thread = new RestartingThread<SpeechConnection>({
      open: () => new CallConnection(path.join(__dirname, 'espeak-speech-thread.js'), init, `espeak-ng speech (${voice})`, 'espeak-ng failed'),
      prepare: (connection) => connection.ready,
      closedError: () => new SessionThreadError(`espeak-ng voice ${voice} is closed`),
    });
    await thread.live();
    const model: InstalledModel = { id: manifest.id, taskTypes: [...manifest.taskTypes], kind: manifest.kind, dir };
    return new EspeakSynthesizer(model, voice, thread);
  }

  get sampleRate(): number {
    return ESPEAK_SAMPLE_RATE;
  }

  /** Fits a request for its language (`pl`, `pl_PL-gosia-medium`, any `pl_*` voice) or its own names (`espeak-ng-pl`); never one that asks for neither. */
  voiceFit(request: VoiceRequest): VoiceFit {
    return voiceFit(this.spoken, request);
  }

  async synthesize(text: string, options: SynthesizeOptions = {}): Promise<InferenceOutput<SpeechResult>> {
    checkSpeechText(text);
    if (this.voiceFit(options) === 'none') throw unknownVoiceError(options, this.voice, this.spoken);
    const started = performance.now();
    const timings = { preprocess_ms: 0, inference_ms: 0, postprocess_ms: 0 };
    const assembly = new SpeechAssembly(ESPEAK_SAMPLE_RATE);
    for (const clauses of splitSentences(text)) {
      options.signal?.throwIfAborted();
      const sentence = clauses.map((c) => c.text + c.end).join(' ');
      let mark = performance.now();
      const audio = await (await this.thread.live()).call({ text: sentence });
      timings.inference_ms += performance.now() - mark;
      if (!audible(audio)) continue;
      mark = performance.now();
      const chunk = assembly.add(sentence, audio);
      timings.postprocess_ms += performance.now() - mark;
      options.onChunk?.(chunk);
    }
    return assembly.output({ id: this.model.id, kind: this.model.kind }, timings, started);
  }

  close(): Promise<void> {
    return this.thread.close();
  }
}
