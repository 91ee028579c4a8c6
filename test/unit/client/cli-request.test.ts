import { buildRequest } from '../../../src/client/cli-request';
import { fixturePath } from '../../harness/fixtures';

test('submit voice.asr --language pl names the language in the payload; without it the workers use the robot\'s', async () => {
  const polish = await buildRequest('voice.asr', { file: fixturePath('audio/pl_stop.s16le.pcm'), rate: 16_000, language: 'pl' });
  expect(polish.payload).toMatchObject({ format: 'pcm_s16le', sample_rate: 16_000, language: 'pl' });
  const unnamed = await buildRequest('voice.asr', { file: fixturePath('audio/pl_stop.wav') });
  expect(unnamed.payload).toMatchObject({ format: 'wav' });
  expect(unnamed.payload).not.toHaveProperty('language');
});

describe('offload submit --language / --voice', () => {
  test('go into the payload of the task types that take them', async () => {
    expect((await buildRequest('text.nlu', { text: 'Zatrzymaj się.', language: 'pl' })).payload).toEqual({ text: 'Zatrzymaj się.', language: 'pl' });
    expect((await buildRequest('voice.tts', { text: 'Cześć.', voice: 'pl_PL-gosia-medium' })).payload).toEqual({ text: 'Cześć.', voice: 'pl_PL-gosia-medium' });
    expect((await buildRequest('text.generate', { text: 'Jak się masz?', language: 'pl', voice: 'x' })).payload).toEqual({ prompt: 'Jak się masz?', language: 'pl' });
    expect((await buildRequest('text.nlu', { text: 'stop' })).payload).toEqual({ text: 'stop' });
  });
});
