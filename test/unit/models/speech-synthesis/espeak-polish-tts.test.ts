import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createModelRuntime, findRepoRoot, ModelNotInstalledError, type ModelRuntime } from '../../../../src/models';
import { decodeWav } from '../../../../src/models/audio';
import { ESPEAK_NG_PL } from '../../../../src/models/registry/espeak-ng-pl';
import { PIPER_EN_US_JOE_MEDIUM } from '../../../../src/models/registry/piper-en-us-joe-medium';
import { EspeakPhonemizer } from '../../../../src/models/speech-synthesis/espeak-phonemizer';
import { SENTENCE_PAUSE_MS } from '../../../../src/models/speech-synthesis/speech-assembly';
import { VoiceActivityDetector } from '../../../../src/models/voice-activity-detection/voice-activity-detector';
import { removeTempDirs } from '../../../harness/model-test-env';
import { modelDirWith, speechRuntimeWith } from '../../../harness/speech-test-env';

let runtime: ModelRuntime;
let vad: VoiceActivityDetector;

beforeAll(async () => {
  ({ runtime, vad } = await speechRuntimeWith([PIPER_EN_US_JOE_MEDIUM, ESPEAK_NG_PL]));
});

afterAll(async () => {
  await runtime?.close();
  await vad?.close();
  await removeTempDirs();
});

function rms(samples: Float32Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}

describe("espeak-ng's Polish voice (formant synthesis) through the model runtime", () => {
  test('the robot\'s voice "pl_PL-gosia-medium" speaks a Polish sentence as 16 kHz WAV that the VAD hears as speech', async () => {
    const text = 'Zatrzymuję się. Dzień dobry, w czym mogę pomóc?';
    const output = await runtime.synthesize(text, { voice: 'pl_PL-gosia-medium' });
    expect(output.model).toEqual({ id: 'espeak-ng-pl', kind: 'real' });
    expect(output.result).toMatchObject({ format: 'wav', sample_rate: 16_000 });
    const bytes = Buffer.from(output.result.audio_base64, 'base64');
    const wav = decodeWav(bytes);
    expect(wav.sampleRate).toBe(16_000);
    expect(bytes.readUInt16LE(22)).toBe(1);
    expect(bytes.readUInt16LE(34)).toBe(16);
    expect(output.result.duration_ms).toBeCloseTo((wav.samples.length / 16_000) * 1000, 3);
    // 13 syllables + 6 and a pause: at espeak-ng's default 175 words a minute, 2-3.5 s.
    expect(output.result.duration_ms).toBeGreaterThan(1500);
    expect(output.result.duration_ms).toBeLessThan(5000);
    expect(rms(wav.samples)).toBeGreaterThan(0.05);
    const segments = await vad.speechSegments(wav.samples);
    const speechMs = segments.reduce((sum, s) => sum + s.endMs - s.startMs, 0);
    console.log(
      `espeak-ng pl "${text}": ${output.result.duration_ms.toFixed(0)} ms, rms ${rms(wav.samples).toFixed(3)}, ` +
        `VAD segments ${JSON.stringify(segments.map((s) => [Math.round(s.startMs), Math.round(s.endMs)]))}, timings ${JSON.stringify(output.timings)}`,
    );
    expect(segments.length).toBeGreaterThanOrEqual(1);
    expect(speechMs).toBeGreaterThan(0.6 * output.result.duration_ms);
    expect(output.result.chunks?.map((c) => c.text)).toEqual(['Zatrzymuję się.', 'Dzień dobry, w czym mogę pomóc?']);
    const pause = Math.round((SENTENCE_PAUSE_MS / 1000) * 16_000);
    const second = output.result.chunks![1];
    expect(wav.samples.subarray(second.start_sample, second.start_sample + pause).every((s) => s === 0)).toBe(true);
  });

  test('streams each sentence as a 16 kHz chunk, in order', async () => {
    const chunks: { seq: number; sampleRate: number; samples: number }[] = [];
    const output = await runtime.synthesize('Jadę prosto. Skręcam w lewo!', {
      language: 'pl',
      onChunk: ({ seq, sampleRate, pcm }) => chunks.push({ seq, sampleRate, samples: pcm.length }),
    });
    expect(chunks).toEqual(output.result.chunks!.map((c) => ({ seq: c.seq, sampleRate: 16_000, samples: c.samples })));
    expect(chunks.map((c) => c.seq)).toEqual([0, 1]);
  });

  test('voices are chosen by name, then language: Polish goes to espeak-ng, English and no choice to Piper; a language no voice speaks is not installed', async () => {
    const modelOf = async (voice?: string, language?: string) => (await runtime.synthesize('Tak.', { voice, language })).model.id;
    expect(await modelOf('pl_PL-gosia-medium')).toBe('espeak-ng-pl');
    expect(await modelOf(undefined, 'pl')).toBe('espeak-ng-pl');
    expect(await modelOf('pl')).toBe('espeak-ng-pl');
    expect(await modelOf('default', 'pl-PL')).toBe('espeak-ng-pl');
    expect(await modelOf('espeak-ng-pl')).toBe('espeak-ng-pl');
    expect(await modelOf(undefined, 'en')).toBe('piper-en_US-joe-medium');
    expect(await modelOf('en_US-joe-medium')).toBe('piper-en_US-joe-medium');
    expect(await modelOf()).toBe('piper-en_US-joe-medium');
    await expect(runtime.synthesize('Ja.', { voice: 'de_DE-thorsten-medium' })).rejects.toThrow(ModelNotInstalledError);
    await expect(runtime.synthesize('Ja.', { language: 'de' })).rejects.toThrow(/unknown language "de": installed voices piper-en_US-joe-medium, espeak-ng-pl/);
  });

  test('punctuation alone is a ModelInputError, as with Piper', async () => {
    await expect(runtime.synthesize('... !!! ???', { language: 'pl' })).rejects.toThrow(/nothing speakable/);
  });
});

describe('espeak-ng alone (no Piper voice installed)', () => {
  test('speaks only when asked for Polish: a task naming no voice or language is ModelNotInstalled, not English read as Polish', async () => {
    const alone = await createModelRuntime({ modelDir: await modelDirWith([ESPEAK_NG_PL]), hardware: 'cpu', executionProvider: 'cpu' });
    try {
      expect(alone.installed().map((m) => m.id)).toEqual(['espeak-ng-pl']);
      await expect(alone.synthesize('Hello there.')).rejects.toThrow(/unknown default voice: installed voices espeak-ng-pl/);
      await expect(alone.synthesize('Hello there.', { language: 'en' })).rejects.toThrow(ModelNotInstalledError);
      await expect(alone.synthesize('Cześć.', { voice: 'pl_PL-gosia-medium' })).resolves.toMatchObject({ model: { id: 'espeak-ng-pl' } });
    } finally {
      await alone.close();
    }
  });
});

/** Runs the IPA backends in a child process: jest's module loader cannot load the ES module espeak-ng is. */
async function ipaInChild(language: string, texts: string[], backend: 'englishBackend' | 'espeakNgBackend'): Promise<string[][]> {
  const script = `const b = require(${JSON.stringify(path.join(findRepoRoot(), 'dist/src/models/speech-synthesis/ipa-backends.js'))});
    (async () => { const ipa = await b.${backend}(${JSON.stringify(language)}); const out = []; for (const t of ${JSON.stringify(texts)}) out.push(await ipa(t)); console.log(JSON.stringify(out)); })();`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script]);
  return JSON.parse(stdout) as string[][];
}

describe('IPA for Piper voices of other languages (the phonemizer package has English only)', () => {
  test("the full espeak-ng gives phonemizer's IPA on English, and Polish IPA for a Piper pl_PL voice", async () => {
    const texts = ['Hello world', 'I am the robot, and I can talk', 'The quick brown fox jumps over the lazy dog'];
    expect(await ipaInChild('en-us', texts, 'espeakNgBackend')).toEqual(await ipaInChild('en-us', texts, 'englishBackend'));
    const polish = await EspeakPhonemizer.start('pl');
    try {
      expect(await polish.phonemize(['Zatrzymuję się', 'Dzień dobry'])).toEqual(['zˌatʃɨmˈujɛ ɕɛ', 'dʑˈɛɲ dˈɔbrɨ']);
    } finally {
      await polish.close();
    }
  });
});
