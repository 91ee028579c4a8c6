import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeAudio } from '../../../../src/models/audio';
import { beamSearch, type StepFn } from '../../../../src/models/speech-recognition/beam-search';
import { createFft } from '../../../../src/models/speech-recognition/fft';
import { CHUNK_FRAMES, LogMelExtractor, slaneyMelFilters } from '../../../../src/models/speech-recognition/log-mel';
import { WHISPER_TINY_EN } from '../../../../src/models/registry/whisper-tiny-en';
import type { DecoderCache, DecoderStep } from '../../../../src/models/speech-recognition/whisper-decoder';
import { WhisperTokenizer, type WhisperSpecialTokens } from '../../../../src/models/speech-recognition/whisper-tokenizer';
import { REPO_ROOT } from '../../../harness/model-test-env';
import { FIXTURE_AUDIO, installedModelDir } from '../../../harness/speech-test-env';

describe('FFT', () => {
  function naiveDft(re: Float64Array, im: Float64Array): [Float64Array, Float64Array] {
    const n = re.length;
    const outRe = new Float64Array(n);
    const outIm = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      for (let t = 0; t < n; t++) {
        const angle = (-2 * Math.PI * k * t) / n;
        outRe[k] += re[t] * Math.cos(angle) - im[t] * Math.sin(angle);
        outIm[k] += re[t] * Math.sin(angle) + im[t] * Math.cos(angle);
      }
    }
    return [outRe, outIm];
  }

  test.each([1, 2, 7, 12, 49, 400])('size %i matches a plain DFT', (size) => {
    let seed = size;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31 - 0.5;
    };
    const re = Float64Array.from({ length: size }, random);
    const im = Float64Array.from({ length: size }, random);
    const [expectRe, expectIm] = naiveDft(re, im);
    const outRe = new Float64Array(size);
    const outIm = new Float64Array(size);
    createFft(size).transform(re, im, outRe, outIm);
    for (let k = 0; k < size; k++) {
      expect(outRe[k]).toBeCloseTo(expectRe[k], 9);
      expect(outIm[k]).toBeCloseTo(expectIm[k], 9);
    }
  });
});

describe('Whisper log-mel front end', () => {
  test("Slaney mel filters: 80 triangles over 201 bins, each with Slaney's area normalisation", () => {
    const filters = slaneyMelFilters(16_000, 400, 80);
    expect(filters.length).toBe(80 * 201);
    for (let m = 0; m < 80; m++) {
      const row = filters.subarray(m * 201, (m + 1) * 201);
      const peak = row.indexOf(Math.max(...row));
      expect(Math.max(...row)).toBeGreaterThan(0);
      for (let k = 1; k <= peak; k++) expect(row[k]).toBeGreaterThanOrEqual(row[k - 1]);
      for (let k = peak + 1; k < 201; k++) expect(row[k]).toBeLessThanOrEqual(row[k - 1]);
    }
    // librosa.filters.mel(sr=16000, n_fft=400, n_mels=80)[0, 1] (what Whisper's mel_filters.npz holds).
    expect(filters[1]).toBeCloseTo(0.02486259, 6);
  });

  test('matches faster-whisper’s numpy feature extractor on hello_world.wav (first 140 frames)', async () => {
    const reference = await readFile(path.join(REPO_ROOT, 'test/fixtures/whisper/hello_world.mel-ref.f32'));
    const expected = new Float32Array(reference.buffer.slice(reference.byteOffset, reference.byteOffset + reference.byteLength));
    const frames = expected.length / 80;
    const audio = decodeAudio({ data: await readFile(path.join(FIXTURE_AUDIO, 'hello_world.wav')), format: 'wav' }, 16_000);
    const features = await new LogMelExtractor(80).extract(audio.samples);
    expect(features.length).toBe(80 * CHUNK_FRAMES);
    let maxError = 0;
    for (let m = 0; m < 80; m++) {
      for (let t = 0; t < frames; t++) maxError = Math.max(maxError, Math.abs(features[m * CHUNK_FRAMES + t] - expected[m * frames + t]));
    }
    expect(maxError).toBeLessThan(1e-4);
  });

  test('silence beyond the audio sits at the floor (max - 8, scaled)', async () => {
    const tone = Float32Array.from({ length: 16_000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 16_000));
    const features = await new LogMelExtractor(80).extract(tone);
    const max = features.reduce((a, b) => Math.max(a, b), -Infinity);
    const lastFrame = Array.from({ length: 80 }, (_, m) => features[m * CHUNK_FRAMES + CHUNK_FRAMES - 1]);
    for (const value of lastFrame) expect(value).toBeCloseTo(max - 2, 5);
  });
});

describe('Whisper tokenizer (the real tokenizer.json)', () => {
  let tokenizer: WhisperTokenizer;
  beforeAll(async () => {
    tokenizer = await WhisperTokenizer.fromFile(path.join(installedModelDir(), WHISPER_TINY_EN.id, 'tokenizer.json'));
  });

  test("finds Whisper's special tokens", () => {
    expect(tokenizer.special).toMatchObject({ endOfText: 50256, startOfTranscript: 50257, transcribe: 50358, noTimestamps: 50362, noSpeech: 50361 });
    expect(tokenizer.special.languages.get('en')).toBe(50258);
    expect(tokenizer.special.languages.get('pl')).toBeDefined();
  });

  test('decodes byte-level BPE pieces, multi-byte characters included, and leaves special tokens out', () => {
    const ids = ['ĠHello', 'Ġworld', '!'].map((piece) => tokenizer.idOf(piece) as number);
    expect(tokenizer.decode([50257, 50362, ...ids, 50256])).toBe(' Hello world!');
    // "é" is the two bytes C3 A9, shown in byte-level BPE as "Ã©".
    const accent = tokenizer.idOf('Ã©');
    expect(accent).toBeDefined();
    expect(tokenizer.decode([accent as number])).toBe('é');
  });
});

describe('beam search (decoding logic, with a scripted decoder)', () => {
  const special: WhisperSpecialTokens = { endOfText: 10, startOfTranscript: 11, transcribe: 12, noTimestamps: 13, noSpeech: 14, languages: new Map([['en', 15]]) };
  const vocab = 16;

  /** A decoder whose next-token log probabilities depend only on the tokens generated so far. */
  function scripted(table: Record<string, Record<number, number>>, calls: string[][]): StepFn {
    return async (ids, cache) => {
      const histories: number[][] = cache ? ids.map((row, b) => [...(cache.get('h')?.data as unknown as number[][])[b] ?? [], ...row]) : ids.map(() => []);
      calls.push(ids.map((row) => row.join(',')));
      const logits = new Float32Array(ids.length * ids[0].length * vocab).fill(-30);
      histories.forEach((history, b) => {
        const key = history.filter((id) => id < special.endOfText).join(',');
        const row = (b * ids[0].length + ids[0].length - 1) * vocab;
        for (const [id, logit] of Object.entries(table[key] ?? { [special.endOfText]: 0 })) logits[row + Number(id)] = logit;
      });
      const next: DecoderCache = new Map([['h', { type: 'float32', data: histories as unknown as Float32Array, dims: [ids.length] }]]);
      return { logits, batch: ids.length, vocab, cache: next } satisfies DecoderStep;
    };
  }
  const select = (cache: DecoderCache, sources: readonly number[]): DecoderCache => {
    const histories = cache.get('h')?.data as unknown as number[][];
    return new Map([['h', { type: 'float32', data: sources.map((s) => histories[s]) as unknown as Float32Array, dims: [sources.length] }]]);
  };
  // Greedy takes 1 (likelier first), but 2 then 3 is the likelier sequence.
  const table = {
    '': { 1: Math.log(0.55), 2: Math.log(0.45) },
    '1': { 4: Math.log(0.3), 5: Math.log(0.3), 10: Math.log(0.4) },
    '1,4': { 10: 0 },
    '1,5': { 10: 0 },
    '2': { 3: Math.log(0.95), 10: Math.log(0.05) },
    '2,3': { 10: 0 },
  };

  test('greedy (beam 1) keeps the locally best token', async () => {
    const result = await beamSearch(scripted(table, []), select, { special, multilingual: false, maxTokens: 10, beamSize: 1 });
    expect(result.tokens).toEqual([1]);
    expect(result.finished).toBe(true);
  });

  test('beam 2 finds the likelier sequence, prompted with <|startoftranscript|><|notimestamps|>', async () => {
    const calls: string[][] = [];
    const result = await beamSearch(scripted(table, calls), select, { special, multilingual: false, maxTokens: 10, beamSize: 2 });
    expect(calls[0]).toEqual(['11,13']);
    expect(result.tokens).toEqual([2, 3]);
    expect(result.probabilities[0]).toBeCloseTo(0.45, 5);
  });

  test('never generates special tokens and stops at maxTokens', async () => {
    const looping = { '': { 12: 5, 7: 0 }, '7': { 7: 0 }, '7,7': { 7: 0 }, '7,7,7': { 7: 0 } };
    const result = await beamSearch(scripted(looping, []), select, { special, multilingual: false, maxTokens: 3, beamSize: 1 });
    expect(result.tokens).toEqual([7, 7, 7]);
    expect(result.finished).toBe(false);
  });

  test('checks the abort signal between decoder steps', async () => {
    const controller = new AbortController();
    const calls: string[][] = [];
    const step = scripted({ '': { 7: 0 }, '7': { 7: 0 }, '7,7': { 7: 0 }, '7,7,7': { 7: 0 } }, calls);
    const aborting: StepFn = async (ids, cache) => {
      if (calls.length === 2) controller.abort();
      return step(ids, cache);
    };
    await expect(beamSearch(aborting, select, { special, multilingual: false, maxTokens: 50, beamSize: 1, signal: controller.signal })).rejects.toThrow(/abort/i);
    expect(calls.length).toBe(3);
  });

  test('multilingual models detect the language first, then continue with <|lang|><|transcribe|><|notimestamps|>', async () => {
    const calls: string[][] = [];
    const result = await beamSearch(scripted({ '': { 15: 0, 2: -1 } }, calls), select, { special, multilingual: true, maxTokens: 5, beamSize: 1 });
    expect(calls.slice(0, 2)).toEqual([['11'], ['15,12,13']]);
    expect(result.language).toBe('en');
  });
});
