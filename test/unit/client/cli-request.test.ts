import { buildRequest } from '../../../src/client/cli-request';
import { fixturePath } from '../../harness/fixtures';

test('submit voice.asr --language pl names the language in the payload; without it the workers use the robot\'s', async () => {
  const polish = await buildRequest('voice.asr', { file: fixturePath('audio/pl_stop.s16le.pcm'), rate: 16_000, language: 'pl' });
  expect(polish.payload).toMatchObject({ format: 'pcm_s16le', sample_rate: 16_000, language: 'pl' });
  const unnamed = await buildRequest('voice.asr', { file: fixturePath('audio/pl_stop.wav') });
  expect(unnamed.payload).toMatchObject({ format: 'wav' });
  expect(unnamed.payload).not.toHaveProperty('language');
});
