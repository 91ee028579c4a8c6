import { ModelInputError, ModelNotInstalledError, type ModelRuntime } from '../../../../src/models';
import { decodeWav, resample } from '../../../../src/models/audio';
import { PIPER_EN_US_JOE_MEDIUM } from '../../../../src/models/registry/piper-en-us-joe-medium';
import { phonemeIds } from '../../../../src/models/speech-synthesis/phoneme-ids';
import { MAX_TTS_TEXT_CHARS, SENTENCE_PAUSE_MS } from '../../../../src/models/speech-synthesis/speech-assembly';
import { splitClauses, splitSentences } from '../../../../src/models/speech-synthesis/sentences';
import type { SpeechSegment } from '../../../../src/models/voice-activity-detection/speech-segments';
import { VoiceActivityDetector } from '../../../../src/models/voice-activity-detection/voice-activity-detector';
import type { SpeechResult } from '../../../../src/shared/model-results';
import { probeSessionRuns } from '../../../harness/session-run-probe';
import { removeTempDirs } from '../../../harness/model-test-env';
import { speechRuntimeWith } from '../../../harness/speech-test-env';

let runtime: ModelRuntime;
let vad: VoiceActivityDetector;

beforeAll(async () => {
  ({ runtime, vad } = await speechRuntimeWith([PIPER_EN_US_JOE_MEDIUM]));
});

afterAll(async () => {
  await runtime?.close();
  await vad?.close();
  await removeTempDirs();
});

interface Chunk {
  pcm: Int16Array;
  sampleRate: number;
  seq: number;
}

function wavOf(result: SpeechResult): { samples: Float32Array; sampleRate: number; bytes: Buffer } {
  const bytes = Buffer.from(result.audio_base64, 'base64');
  return { ...decodeWav(bytes), bytes };
}

async function speechIn(samples: Float32Array, sampleRate: number): Promise<SpeechSegment[]> {
  return vad.speechSegments(resample(samples, sampleRate, 16_000));
}

const speechMs = (segments: SpeechSegment[]): number => segments.reduce((sum, s) => sum + s.endMs - s.startMs, 0);

describe('Piper en_US-joe-medium through the model runtime', () => {
  test('"Hello world, I am the robot." → 0.8-6 s of 22.05 kHz 16-bit WAV that the VAD hears as speech', async () => {
    expect(runtime.serves('voice.tts')).toBe(true);
    const output = await runtime.synthesize('Hello world, I am the robot.');
    const { result } = output;
    expect(output.model).toEqual({ id: 'piper-en_US-joe-medium', kind: 'real' });
    expect(result).toMatchObject({ format: 'wav', sample_rate: 22_050 });
    const wav = wavOf(result);
    expect(wav.bytes.subarray(0, 4).toString('ascii')).toBe('RIFF');
    expect(wav.bytes.readUInt16LE(22)).toBe(1); // mono
    expect(wav.bytes.readUInt16LE(34)).toBe(16); // bits per sample
    expect(wav.sampleRate).toBe(22_050);
    expect(result.duration_ms).toBeCloseTo((wav.samples.length / 22_050) * 1000, 3);
    expect(result.duration_ms).toBeGreaterThan(800);
    expect(result.duration_ms).toBeLessThan(6000);

    const segments = await speechIn(wav.samples, wav.sampleRate);
    console.log(
      `TTS "Hello world, I am the robot.": ${result.duration_ms.toFixed(0)} ms audio, timings ${JSON.stringify(output.timings)}, ` +
        `VAD segments (ms) ${JSON.stringify(segments.map((s) => [Math.round(s.startMs), Math.round(s.endMs)]))}`,
    );
    expect(segments.length).toBeGreaterThanOrEqual(1);
    expect(speechMs(segments)).toBeGreaterThan(0.6 * result.duration_ms);
    expect(segments[0].startMs).toBeLessThan(300);
    expect(output.timings.inference_ms).toBeGreaterThan(0);
    expect(output.timings.real_time_factor).toBeGreaterThan(0);
  });

  test('several sentences stream as ordered chunks whose PCM is exactly the WAV', async () => {
    const chunks: Chunk[] = [];
    const text = 'Hello there. I am the robot, and I can talk! Can you hear me?';
    const output = await runtime.synthesize(text, { onChunk: (chunk) => chunks.push(chunk) });
    expect(chunks.map((c) => c.seq)).toEqual([0, 1, 2]);
    expect(chunks.every((c) => c.sampleRate === 22_050)).toBe(true);
    expect(output.result.chunks?.map((c) => c.text)).toEqual(['Hello there.', 'I am the robot, and I can talk!', 'Can you hear me?']);

    const wav = wavOf(output.result);
    const pcm = new Int16Array(wav.bytes.buffer, wav.bytes.byteOffset + 44, (wav.bytes.length - 44) / 2);
    let offset = 0;
    for (const [i, chunk] of chunks.entries()) {
      const info = output.result.chunks![i];
      expect(info).toMatchObject({ seq: i, start_sample: offset, samples: chunk.pcm.length });
      expect(Array.from(pcm.subarray(offset, offset + chunk.pcm.length))).toEqual(Array.from(chunk.pcm));
      offset += chunk.pcm.length;
      const floats = Float32Array.from(chunk.pcm, (s) => s / 32768);
      expect((await speechIn(floats, 22_050)).length).toBeGreaterThanOrEqual(1);
    }
    expect(offset).toBe(pcm.length);
    const pauseSamples = Math.round((SENTENCE_PAUSE_MS / 1000) * 22_050);
    expect(chunks[1].pcm.subarray(0, pauseSamples).every((s) => s === 0)).toBe(true);
    console.log(`3 sentences: ${output.result.duration_ms.toFixed(0)} ms audio in chunks of ${chunks.map((c) => c.pcm.length).join(', ')} samples; timings ${JSON.stringify(output.timings)}`);
  });

  test('a cancelled call stops between sentences', async () => {
    const controller = new AbortController();
    const chunks: number[] = [];
    const text = 'One sentence here. Another sentence there. A third one. And a fourth.';
    const call = runtime.synthesize(text, {
      signal: controller.signal,
      onChunk: ({ seq }) => {
        chunks.push(seq);
        controller.abort(new Error('cancelled by test'));
      },
    });
    await expect(call).rejects.toThrow('cancelled by test');
    expect(chunks).toEqual([0]);
  });

  test('voices: omitted, "default", "joe", "en-us" and the model id speak; a voice of another language is not installed', async () => {
    for (const voice of [undefined, '', 'default', 'joe', 'en-us', 'en_US', 'EN_US-joe-medium', 'piper-en_US-joe-medium']) {
      await expect(runtime.synthesize('Yes.', { voice })).resolves.toMatchObject({ result: { format: 'wav' } });
    }
    await expect(runtime.synthesize('Yes.', { voice: 'de_DE-thorsten' })).rejects.toThrow(ModelNotInstalledError);
    await expect(runtime.synthesize('Yes.', { voice: 'de_DE-thorsten' })).rejects.toThrow(/unknown voice "de_DE-thorsten": installed voices piper-en_US-joe-medium/);
  });

  test('empty, too long or unspeakable text is a ModelInputError', async () => {
    await expect(runtime.synthesize('')).rejects.toBeInstanceOf(ModelInputError);
    await expect(runtime.synthesize('  \n ')).rejects.toThrow(/text is empty/);
    await expect(runtime.synthesize('a'.repeat(MAX_TTS_TEXT_CHARS + 1))).rejects.toThrow(/over the 2000-character limit/);
    await expect(runtime.synthesize('... !!! ???')).rejects.toThrow(/nothing speakable/);
  });

  // The event-loop lag meanwhile (the p99 ≤ 20 ms) is a speed figure: `npm run bench -- models piper`.
  test('the event loop stays free while a paragraph is synthesized: the voice runs on a session thread, and two timers in a row fire while a run computes', async () => {
    const text = 'The quick brown fox jumps over the lazy dog. It was the best of times, it was the worst of times; nobody knew. Turn left at the kitchen!';
    const probe = probeSessionRuns();
    let chunks = 0;
    try {
      await runtime.synthesize(text, { onChunk: () => void (chunks += 1) });
    } finally {
      probe.stop();
    }
    console.log(`a paragraph in ${chunks} chunks: ${probe.runs} voice runs on the session thread, two timers in a row set as each started fired before its result in ${probe.runsTheLoopTurnedTwiceDuring}`);
    expect(probe.runs).toBeGreaterThanOrEqual(chunks);
    expect(probe.runsTheLoopTurnedTwiceDuring).toBeGreaterThan(0);
  });
});

describe('Piper text front end', () => {
  test('phoneme ids follow piper-phonemize: ^ _ then each phoneme followed by _, then $', () => {
    const map = { _: [0], '^': [1], $: [2], h: [20], 'ə': [59], l: [24], 'ˈ': [120], o: [27], 'ʊ': [100], '.': [10] };
    expect(phonemeIds('həlˈoʊ.', { phoneme_id_map: map, phoneme_map: {} })).toEqual({
      ids: [1, 0, 20, 0, 59, 0, 24, 0, 120, 0, 27, 0, 100, 0, 10, 0, 2],
      missing: [],
    });
    expect(phonemeIds('hx', { phoneme_id_map: map, phoneme_map: {} })).toEqual({ ids: [1, 0, 20, 0, 2], missing: ['x'] });
  });

  test('clauses end at punctuation before a space, not inside numbers or after abbreviations', () => {
    expect(splitClauses('Hello world, I am the robot.')).toEqual([
      { text: 'Hello world', end: ',' },
      { text: 'I am the robot', end: '.' },
    ]);
    expect(splitClauses('Dr. Smith paid 3.5 dollars')).toEqual([{ text: 'Dr. Smith paid 3.5 dollars', end: '.' }]);
    expect(splitClauses('Wait... what?! "Go," she said')).toEqual([
      { text: 'Wait', end: '.' },
      { text: 'what', end: '?' },
      { text: '"Go', end: ',' },
      { text: 'she said', end: '.' },
    ]);
  });

  test('sentences end at . ! ? and at line breaks', () => {
    const sentences = splitSentences('Stop! Turn left, then right.\nFollow me');
    expect(sentences.map((clauses) => clauses.map((c) => c.text + c.end).join(' '))).toEqual(['Stop!', 'Turn left, then right.', 'Follow me.']);
    expect(splitSentences('... !!!')).toEqual([]);
  });
});
