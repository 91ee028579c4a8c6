import { monitorEventLoopDelay } from 'node:perf_hooks';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import * as ort from 'onnxruntime-node';
import { createInferenceActivities } from '../src/activities/inference-activities';
import { decodeAudio } from '../src/models/audio';
import { findRepoRoot } from '../src/models/model-dirs';
import { modelPath } from '../src/models/install/model-files';
import type { SessionHost } from '../src/models/threads/session-host';
import type { WireTensor, WireTensors } from '../src/models/threads/session-protocol';
import { SILERO_VAD } from '../src/models/registry/silero-vad';
import { beamSearch } from '../src/models/speech-recognition/beam-search';
import { CHUNK_FRAMES, LogMelExtractor, WHISPER_SAMPLE_RATE } from '../src/models/speech-recognition/log-mel';
import { WHISPER_TINY_EN } from '../src/models/registry/whisper-tiny-en';
import { readWhisperConfig } from '../src/models/speech-recognition/whisper-config';
import { WhisperDecoder } from '../src/models/speech-recognition/whisper-decoder';
import { WhisperTokenizer } from '../src/models/speech-recognition/whisper-tokenizer';
import { WhisperTranscriber } from '../src/models/speech-recognition/whisper-transcriber';
import type { TranscriptionResult } from '../src/shared/model-results';
import type { ModelRun } from '../src/shared/model-run';
import { median, round, runtimeWith, timeRuns, type ModelBenchPart } from './model-bench';

const FIXTURE = path.resolve(findRepoRoot(), '../shared/fixtures/audio/hello_world.wav');

/** A bare onnxruntime session on this thread, shaped like a SessionHost for WhisperDecoder. */
async function bareSession(file: string): Promise<{ host: SessionHost; release: () => Promise<void> }> {
  const session = await ort.InferenceSession.create(file, { executionProviders: ['cpu'], intraOpNumThreads: 1, graphOptimizationLevel: 'all' });
  const host = {
    inputNames: [...session.inputNames],
    outputNames: [...session.outputNames],
    async run(feeds: WireTensors): Promise<WireTensors> {
      const inputs = Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, new ort.Tensor(t.type, t.data as never, t.dims)]));
      const outputs = await session.run(inputs);
      return Object.fromEntries(Object.entries(outputs).map(([name, t]) => [name, { type: t.type, data: t.data, dims: [...t.dims] } as WireTensor]));
    },
  } as unknown as SessionHost;
  return { host, release: () => session.release() };
}

/**
 * Whisper tiny.en on hello_world.wav (1.26 s): the same mel + encoder + beam-5 decoding with bare
 * onnxruntime sessions on this thread, vs runtime.transcribe (session threads, VAD trimming) and
 * runAsrModel; real-time factors; and greedy decoding for comparison.
 */
export const benchWhisper: ModelBenchPart = {
  name: 'whisper',
  manifests: [SILERO_VAD, WHISPER_TINY_EN],
  async run({ modelDir, runs, log }) {
    const dir = modelPath(modelDir, WHISPER_TINY_EN);
    const wav = await readFile(FIXTURE);
    const samples = decodeAudio({ data: wav, format: 'wav' }, WHISPER_SAMPLE_RATE).samples;
    const audioMs = (samples.length / WHISPER_SAMPLE_RATE) * 1000;
    const config = await readWhisperConfig(path.join(dir, 'config.json'));
    const tokenizer = await WhisperTokenizer.fromFile(path.join(dir, 'tokenizer.json'));
    const mel = new LogMelExtractor(config.num_mel_bins);

    const encoder = await bareSession(path.join(dir, 'encoder_model.onnx'));
    const decoderSession = await bareSession(path.join(dir, 'decoder_model_merged.onnx'));
    let bareText = '';
    let bareEncoderMs = 0;
    const bare = await timeRuns(runs, async () => {
      const features = await mel.extract(samples);
      const started = performance.now();
      const encoded = await encoder.host.run({ input_features: { type: 'float32', data: features, dims: [1, config.num_mel_bins, CHUNK_FRAMES] } });
      bareEncoderMs = performance.now() - started;
      const states = encoded.last_hidden_state;
      const decoder = new WhisperDecoder(decoderSession.host, decoderSession.host, config);
      const search = await beamSearch((ids, cache) => decoder.step(ids, states, cache), (cache, sources) => decoder.select(cache, sources), {
        special: tokenizer.special,
        multilingual: false,
        maxTokens: 224,
        beamSize: 5,
        suppressTokens: config.suppress_tokens,
        beginSuppressTokens: config.begin_suppress_tokens,
      });
      bareText = tokenizer.decode(search.tokens);
    });
    await encoder.release();
    await decoderSession.release();
    const bareMs = median(bare.ms);
    log(`bare onnxruntime (this thread, no VAD): median ${bareMs.toFixed(0)} ms for ${audioMs.toFixed(0)} ms of audio → "${bareText.trim()}"`);

    const { runtime, dispose } = await runtimeWith(modelDir, [SILERO_VAD, WHISPER_TINY_EN]);
    try {
      const input = { data: wav, format: 'wav' as const };
      const lag = monitorEventLoopDelay({ resolution: 1 });
      lag.enable();
      const viaRuntime = await timeRuns(runs, () => runtime.transcribe(input));
      lag.disable();
      log(`runtime.transcribe: median ${median(viaRuntime.ms).toFixed(0)} ms → "${viaRuntime.last.result.text}", timings ${JSON.stringify(viaRuntime.last.timings)}`);

      const activities = createInferenceActivities({ runtime, maxPayloadBytes: 10_000_000 });
      const envelope = { task_id: 'bench-asr', task_type: 'voice.asr' as const, payload: { audio_base64: wav.toString('base64'), format: 'wav' as const }, meta: {}, priority: 5 };
      const viaActivity = await timeRuns(runs, () => new MockActivityEnvironment().run(activities.runAsrModel, { envelope }));
      log(`runAsrModel activity: median ${median(viaActivity.ms).toFixed(0)} ms → "${(viaActivity.last as ModelRun<TranscriptionResult>).result.text}"`);

      const greedyModel = await WhisperTranscriber.load({ manifest: WHISPER_TINY_EN, dir, executionProvider: 'cpu', log: () => undefined }, { beamSize: 1 });
      const greedy = await timeRuns(runs, () => greedyModel.transcribe(input)).finally(() => greedyModel.close());
      log(`greedy (beam 1, no VAD): median ${median(greedy.ms).toFixed(0)} ms → "${greedy.last.result.text}"`);

      const timings = viaRuntime.last.timings;
      return {
        audio: 'hello_world.wav',
        audio_ms: round(audioMs, 0),
        beam_size: 5,
        bare_ort_ms: round(bareMs, 1),
        bare_encoder_ms: round(bareEncoderMs, 1),
        bare_real_time_factor: round(bareMs / audioMs, 3),
        runtime_ms: round(median(viaRuntime.ms), 1),
        runtime_real_time_factor: round(median(viaRuntime.ms) / audioMs, 3),
        runtime_over_bare_ratio: round(median(viaRuntime.ms) / bareMs, 2),
        runtime_vad_ms: round(timings.vad_ms, 1),
        runtime_mel_ms: round(timings.mel_ms, 1),
        runtime_encoder_ms: round(timings.encoder_ms, 1),
        runtime_decoder_ms: round(timings.decoder_ms, 1),
        runtime_tokens: timings.decoded_tokens,
        runtime_text: viaRuntime.last.result.text,
        runtime_event_loop_lag_p99_ms: round(lag.percentile(99) / 1e6, 1),
        runtime_event_loop_lag_max_ms: round(lag.max / 1e6, 1),
        activity_ms: round(median(viaActivity.ms), 1),
        activity_real_time_factor: round(median(viaActivity.ms) / audioMs, 3),
        activity_over_bare_ratio: round(median(viaActivity.ms) / bareMs, 2),
        greedy_ms: round(median(greedy.ms), 1),
        greedy_real_time_factor: round(median(greedy.ms) / audioMs, 3),
        greedy_text: greedy.last.result.text,
      };
    } finally {
      await dispose();
    }
  },
};
