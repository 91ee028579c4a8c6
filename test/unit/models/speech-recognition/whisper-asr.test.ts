import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeAudio, encodeWav, floatToPcm16, resample } from '../../../../src/models/audio';
import { WHISPER_TINY_EN } from '../../../../src/models/registry/whisper-tiny-en';
import { WhisperTranscriber } from '../../../../src/models/speech-recognition/whisper-transcriber';
import { ModelInputError, type AudioInput } from '../../../../src/models';
import { SILERO_VAD } from '../../../../src/models/registry/silero-vad';
import { VoiceActivityDetector } from '../../../../src/models/voice-activity-detection/voice-activity-detector';
import { recordingLog } from '../../../harness/model-test-env';
import { FIXTURE_AUDIO, installedModelDir, seconds } from '../../../harness/speech-test-env';

/** Lower case, letters and digits only: "Hello world!" and "hello, world" compare equal. */
const normalise = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

let whisper: WhisperTranscriber;
let vad: VoiceActivityDetector;

const load = (options: { vad?: VoiceActivityDetector } = {}): Promise<WhisperTranscriber> =>
  WhisperTranscriber.load(
    { manifest: WHISPER_TINY_EN, dir: path.join(installedModelDir(), WHISPER_TINY_EN.id), executionProvider: 'cpu', log: recordingLog().log },
    options,
  );

beforeAll(async () => {
  vad = await VoiceActivityDetector.load(path.join(installedModelDir(), SILERO_VAD.id));
  whisper = await load({ vad });
});

afterAll(async () => {
  await whisper?.close();
  await vad?.close();
});

async function fixture(name: string): Promise<AudioInput> {
  const data = await readFile(path.join(FIXTURE_AUDIO, name));
  return name.endsWith('.pcm') ? { data, format: 'pcm_s16le', sampleRate: 16_000 } : { data, format: 'wav' };
}

describe('Whisper tiny.en (real weights, converted from the faster-whisper package) with the Silero VAD', () => {
  test('hello_world.wav → "hello world"', async () => {
    const output = await whisper.transcribe(await fixture('hello_world.wav'));
    console.log(`hello_world.wav: ${JSON.stringify(output.result)} ${JSON.stringify(output.timings)}`);
    expect(normalise(output.result.text)).toBe('hello world');
    expect(output.result.language).toBe('en');
    expect(output.result.confidence).toBeGreaterThan(0.3);
    expect(output.result.confidence).toBeLessThanOrEqual(1);
    expect(output.result.no_speech).toBeUndefined();
    expect(output.model).toEqual({ id: 'whisper-tiny.en', kind: 'real' });
    expect(output.timings.audio_ms).toBeCloseTo(1259.875, 1);
    expect(output.timings.real_time_factor).toBeGreaterThan(0);
    expect(output.timings.encoder_ms).toBeGreaterThan(0);
    expect(output.timings.decoder_ms).toBeGreaterThan(0);
  });

  test("the robot's raw PCM s16le at 16 kHz → the same text", async () => {
    const output = await whisper.transcribe(await fixture('hello_world.s16le.pcm'));
    expect(normalise(output.result.text)).toBe('hello world');
  });

  test('raw PCM at 44.1 kHz is resampled to 16 kHz first', async () => {
    const samples = decodeAudio(await fixture('hello_world.wav'), 16_000).samples;
    const pcm = floatToPcm16(resample(samples, 16_000, 44_100));
    const output = await whisper.transcribe({ data: new Uint8Array(pcm.buffer), format: 'pcm_s16le', sampleRate: 44_100 });
    expect(normalise(output.result.text)).toBe('hello world');
  });

  test.each([
    ['stop_moving.wav', 'please stop moving'],
    ['what_do_you_see.wav', 'what do you see in front of you'],
    ['follow_me.wav', 'follow me to the kitchen'],
  ])('%s → "%s"', async (name, expected) => {
    const output = await whisper.transcribe(await fixture(name));
    expect(normalise(output.result.text)).toBe(expected);
  });

  test('speech between two seconds of silence: the VAD trims it and the text stays', async () => {
    const speech = decodeAudio(await fixture('hello_world.wav'), 16_000).samples;
    const padded = new Float32Array(speech.length + 64_000);
    padded.set(speech, 32_000);
    const output = await whisper.transcribe({ data: encodeWav(floatToPcm16(padded), 16_000), format: 'wav' });
    expect(normalise(output.result.text)).toBe('hello world');
    expect(output.timings.speech_ms).toBeLessThan(output.timings.audio_ms - 2500);
  });

  test('silence: an empty transcript flagged no_speech, not an error', async () => {
    const output = await whisper.transcribe({ data: encodeWav(floatToPcm16(seconds(2)), 16_000), format: 'wav' });
    expect(output.result).toEqual({ text: '', language: 'en', confidence: 0, no_speech: true });
    expect(output.timings.decoder_ms).toBe(0);
  });

  test('bad input is a ModelInputError naming the problem', async () => {
    await expect(whisper.transcribe({ data: new Uint8Array([1, 2, 3]), format: 'pcm_s16le', sampleRate: 16_000 })).rejects.toThrow(ModelInputError);
    await expect(whisper.transcribe({ data: new Uint8Array(10), format: 'pcm_s16le' })).rejects.toThrow(/sample rate/);
    await expect(whisper.transcribe({ ...(await fixture('hello_world.wav')), language: 'de' })).rejects.toThrow(/English only/);
  });

  test('an aborted signal stops the transcription', async () => {
    const controller = new AbortController();
    const running = whisper.transcribe(await fixture('follow_me.wav'), { signal: controller.signal });
    // At the next turn of the event loop: the transcription takes many (a session-thread round trip
    // per model step), so the abort lands while it runs, however fast the machine.
    setImmediate(() => controller.abort());
    await expect(running).rejects.toThrow(/abort/i);
    // The model is still usable afterwards.
    expect(normalise((await whisper.transcribe(await fixture('hello_world.wav'))).result.text)).toBe('hello world');
  });
});

describe('Whisper without a VAD', () => {
  test('transcribes the whole clip untrimmed', async () => {
    const plain = await load();
    try {
      const output = await plain.transcribe(await fixture('hello_world.wav'));
      expect(normalise(output.result.text)).toBe('hello world');
      expect(output.timings.vad_ms).toBe(0);
      expect(output.timings.speech_ms).toBeCloseTo(output.timings.audio_ms, 5);
    } finally {
      await plain.close();
    }
  });
});
