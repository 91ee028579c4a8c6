import path from 'node:path';
import { types } from 'node:util';
import type { LoadContext } from '../runtime/load-context';
import { verifyModelFiles } from '../install/model-files';
import { SessionHost } from '../threads/session-host';
import type { WireTensors } from '../threads/session-protocol';
import { ModelInputError } from '../registry/model-errors';
import type { CallOptions, ExecutionProvider, InstalledModel, LoadedModel } from '../registry/model-capabilities';
import { SILERO_VAD } from '../registry/silero-vad';
import { resolveSegmentOptions, speechSegmentsFromProbabilities, type SpeechSegment, type SpeechSegmentOptions } from './speech-segments';

/** The only rate the detector accepts: decode and resample with `decodeAudio(input, VAD_SAMPLE_RATE)` first. */
export const VAD_SAMPLE_RATE = 16_000;
/** Samples per window the model scores (32 ms at 16 kHz). */
export const VAD_WINDOW_SAMPLES = 512;
/** Silero v5 sees the previous window's last 64 samples in front of each window. */
const CONTEXT_SAMPLES = 64;
const STATE_SIZE = 2 * 1 * 128;

export interface VadCallOptions extends SpeechSegmentOptions, CallOptions {}

/** A live audio source's scorer: the speech probability of its next window (up to 512 samples, zero-padded). */
export interface VadStream {
  score(window: Float32Array): Promise<number>;
}

export interface TrimmedSpeech {
  /** From the start of the first speech segment to the end of the last (a view of the input); empty without speech. */
  samples: Float32Array;
  /** Where `samples` starts and ends in the input; both 0 without speech. */
  startMs: number;
  endMs: number;
  /** Every segment found, in input time; empty means "no speech". */
  segments: SpeechSegment[];
}

/** Standalone loading (tests, tools): everything a LoadContext would otherwise give. */
export interface StandaloneVadOptions {
  /** onnxruntime intra-op threads (default 1). */
  intraOpThreads?: number;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

function feeds(input: Float32Array, state: Float32Array): WireTensors {
  return {
    input: { type: 'float32', data: input, dims: [1, input.length] },
    state: { type: 'float32', data: state, dims: [2, 1, 128] },
    sr: { type: 'int64', data: BigInt64Array.of(BigInt(VAD_SAMPLE_RATE)), dims: [] },
  };
}

function checkSamples(samples: unknown): asserts samples is Float32Array {
  if (!types.isFloat32Array(samples)) {
    throw new ModelInputError(`VAD input must be a Float32Array of mono ${VAD_SAMPLE_RATE} Hz samples`);
  }
}

/**
 * Silero VAD v5: scores each 32 ms window of 16 kHz mono audio for speech, in a session thread.
 * The recurrent state and the 64-sample context are carried from window to window within one
 * call, so concurrent calls do not disturb each other. It always runs on the CPU: a 1 MB model
 * stepped window by window gains nothing from a GPU.
 */
export class VoiceActivityDetector implements LoadedModel {
  private constructor(
    readonly model: InstalledModel,
    private readonly host: SessionHost,
  ) {}

  /** From the runtime's LoadContext, or standalone from a directory holding `silero_vad_16k_op15.onnx` (checksum verified). */
  static async load(source: LoadContext | string, options: StandaloneVadOptions = {}): Promise<VoiceActivityDetector> {
    const context: LoadContext =
      typeof source === 'string'
        ? { manifest: SILERO_VAD, dir: path.resolve(source), executionProvider: 'cpu', intraOpThreads: options.intraOpThreads, log: options.log ?? (() => undefined) }
        : source;
    if (typeof source === 'string') await verifyModelFiles(context.dir, context.manifest);
    const onnx = context.manifest.files.find((file) => file.name.endsWith('.onnx'));
    if (!onnx) throw new Error(`${context.manifest.id}: manifest lists no .onnx file`);
    const host = await SessionHost.start({
      name: context.manifest.id,
      modelPath: path.join(context.dir, onnx.name),
      executionProvider: 'cpu',
      intraOpThreads: context.intraOpThreads,
      warmupFeeds: () => feeds(new Float32Array(CONTEXT_SAMPLES + VAD_WINDOW_SAMPLES), new Float32Array(STATE_SIZE)),
      log: context.log,
    });
    const { manifest, dir } = context;
    return new VoiceActivityDetector({ id: manifest.id, taskTypes: [...manifest.taskTypes], kind: manifest.kind, dir }, host);
  }

  /**
   * The detector the runtime already loaded, for another family's loader (e.g. an ASR model that
   * trims silence); undefined when `silero-vad` is not installed. The runtime closes it, not the caller.
   */
  static loadedBy(context: LoadContext): VoiceActivityDetector | undefined {
    const model = context.loadedModel?.(SILERO_VAD.id);
    return model instanceof VoiceActivityDetector ? model : undefined;
  }

  get executionProvider(): ExecutionProvider {
    return this.host.executionProvider;
  }

  /** Speech probability of each 512-sample window (the last one zero-padded); stops when `signal` aborts. */
  async speechProbabilities(samples16k: Float32Array, options: CallOptions = {}): Promise<Float32Array> {
    checkSamples(samples16k);
    const windows = Math.ceil(samples16k.length / VAD_WINDOW_SAMPLES);
    const probabilities = new Float32Array(windows);
    const stream = this.stream();
    for (let w = 0; w < windows; w++) {
      options.signal?.throwIfAborted();
      probabilities[w] = await stream.score(samples16k.subarray(w * VAD_WINDOW_SAMPLES, (w + 1) * VAD_WINDOW_SAMPLES));
    }
    return probabilities;
  }

  /**
   * Scores a live stream window by window, the recurrent state and context carried from one call
   * to the next (one stream per audio source; calls on one stream must not overlap).
   */
  stream(): VadStream {
    let state: Float32Array = new Float32Array(STATE_SIZE);
    let context: Float32Array = new Float32Array(CONTEXT_SAMPLES);
    return {
      score: async (window) => {
        checkSamples(window);
        if (window.length > VAD_WINDOW_SAMPLES) throw new ModelInputError(`a VAD window holds at most ${VAD_WINDOW_SAMPLES} samples, got ${window.length}`);
        const input = new Float32Array(CONTEXT_SAMPLES + VAD_WINDOW_SAMPLES);
        input.set(context, 0);
        input.set(window, CONTEXT_SAMPLES);
        context = input.slice(input.length - CONTEXT_SAMPLES);
        const outputs = await this.host.run(feeds(input, state));
        const [probName, stateName] = this.host.outputNames;
        state = outputs[stateName].data as Float32Array;
        return (outputs[probName].data as Float32Array)[0];
      },
    };
  }

  /** Where speech is, in ms from the start of `samples16k`; empty when there is none. */
  async speechSegments(samples16k: Float32Array, options: VadCallOptions = {}): Promise<SpeechSegment[]> {
    const resolved = resolveSegmentOptions(options);
    const probabilities = await this.speechProbabilities(samples16k, options);
    return speechSegmentsFromProbabilities(probabilities, VAD_WINDOW_SAMPLES, samples16k.length, VAD_SAMPLE_RATE, resolved);
  }

  /** Cuts leading and trailing silence (pauses between segments stay); `segments` empty means no speech at all. */
  async trim(samples16k: Float32Array, options: VadCallOptions = {}): Promise<TrimmedSpeech> {
    const segments = await this.speechSegments(samples16k, options);
    if (segments.length === 0) return { samples: samples16k.subarray(0, 0), startMs: 0, endMs: 0, segments };
    const startMs = segments[0].startMs;
    const endMs = segments[segments.length - 1].endMs;
    const toSample = (ms: number): number => Math.round((ms * VAD_SAMPLE_RATE) / 1000);
    return { samples: samples16k.subarray(toSample(startMs), toSample(endMs)), startMs, endMs, segments };
  }

  close(): Promise<void> {
    return this.host.close();
  }
}
