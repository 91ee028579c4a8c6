import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createModelRuntime, ModelNotInstalledError, type AudioInput, type ModelRuntime } from '../../../../src/models';
import { SILERO_VAD } from '../../../../src/models/registry/silero-vad';
import { WHISPER_BASE } from '../../../../src/models/registry/whisper-base';
import { WHISPER_TINY_EN } from '../../../../src/models/registry/whisper-tiny-en';
import { removeTempDirs } from '../../../harness/model-test-env';
import { FIXTURE_AUDIO, modelDirWith } from '../../../harness/speech-test-env';

const wav = async (name: string, language?: string): Promise<AudioInput> => ({ data: await readFile(path.join(FIXTURE_AUDIO, name)), format: 'wav', language });

let runtime: ModelRuntime;

beforeAll(async () => {
  const modelDir = await modelDirWith([SILERO_VAD, WHISPER_TINY_EN, WHISPER_BASE]);
  runtime = await createModelRuntime({ modelDir, hardware: 'cpu', executionProvider: 'cpu', language: 'pl' });
});

afterAll(async () => {
  await runtime?.close();
  await removeTempDirs();
});

describe("voice.asr runs on the model for the task's language, else the robot's (pl)", () => {
  test('a task without a language is in the robot\'s Polish, on the multilingual whisper-base', async () => {
    const output = await runtime.transcribe(await wav('pl_hello.wav'));
    expect(output.model).toEqual({ id: 'whisper-base', kind: 'real' });
    expect(output.result.language).toBe('pl');
    expect(output.result.text).toMatch(/dobry/i);
  });

  test('a task in English (en, en-US) runs on whisper-tiny.en, made for English', async () => {
    for (const language of ['en', 'en-US']) {
      const output = await runtime.transcribe(await wav('hello_world.wav', language));
      expect(output.model.id).toBe('whisper-tiny.en');
      expect(output.result).toMatchObject({ text: 'Hello world!', language: 'en' });
    }
  });

  test('a model asked for by id (offload rerun --model) runs in the language the task would have', async () => {
    const output = await runtime.transcribe(await wav('hello_world.wav', 'en'), { model: 'whisper-base' });
    expect(output.model.id).toBe('whisper-base');
    expect(output.result.language).toBe('en');
    await expect(runtime.transcribe(await wav('pl_stop.wav'), { model: 'whisper-tiny.en' })).rejects.toThrow(/English only, got language "pl"/);
  });
});

test('a Polish robot with only the English model: ModelNotInstalledError naming the language (the robot falls back)', async () => {
  const englishOnly = await createModelRuntime({ modelDir: await modelDirWith([WHISPER_TINY_EN]), hardware: 'cpu', executionProvider: 'cpu', language: 'pl' });
  try {
    expect(englishOnly.serves('voice.asr')).toBe(true);
    const polish = englishOnly.transcribe(await wav('pl_stop.wav'));
    await expect(polish).rejects.toThrow(ModelNotInstalledError);
    await expect(polish).rejects.toThrow('(none for language "pl")');
    expect((await englishOnly.transcribe(await wav('hello_world.wav', 'en'))).result.text).toBe('Hello world!');
  } finally {
    await englishOnly.close();
  }
});
