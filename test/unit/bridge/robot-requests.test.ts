import { readRobotRequest } from '../../../src/bridge/robot-requests';
import type { BusMessage } from '../../../src/bridge/bus-message';
import { fixtureBase64 } from '../../harness/fixtures';

const jpeg = fixtureBase64('images/dog_320x240.jpg');
const pcm = fixtureBase64('audio/hello_world.s16le.pcm');
const pcmBytes = Buffer.from(pcm, 'base64').length;
const read = (topic: BusMessage['topic'], payload: Record<string, unknown>, max = 1024 * 1024) => readRobotRequest({ ok: true, topic, payload }, max);

test('a frame as the robot\'s offload dispatcher sends it', () => {
  expect(read('vision.frame.offload', { ts: 1732300000.25, frame_jpeg: jpeg, size: { w: 320, h: 240 } })).toEqual({
    kind: 'frame',
    ts: 1732300000.25,
    frameJpeg: jpeg,
    size: { w: 320, h: 240 },
  });
});

test('an ASR request: raw PCM s16le at `rate`, `len` bytes', () => {
  expect(read('voice.asr.request', { ts: 5.5, rate: 16000, len: pcmBytes, chunk_pcm: pcm })).toEqual({ kind: 'asr', ts: 5.5, rate: 16000, len: pcmBytes, chunkPcm: pcm });
});

test('a TTS request with and without the optional fields', () => {
  expect(read('voice.tts.request', { text: 'Hi', voice: 'joe', ts: 3, task_id: 'tts-42' })).toEqual({ kind: 'tts', text: 'Hi', voice: 'joe', ts: 3, taskId: 'tts-42' });
  expect(read('voice.tts.request', { text: 'Hi' })).toEqual({ kind: 'tts', text: 'Hi' });
});

test.each([
  ['vision.frame.offload', { frame_jpeg: jpeg }, 'missing_field', /^ts: /],
  ['vision.frame.offload', { ts: -1, frame_jpeg: jpeg }, 'bad_value', /^ts: /],
  ['vision.frame.offload', { ts: 1, frame_jpeg: jpeg, size: { w: '320', h: 240 } }, 'wrong_type', /^size\.w: /],
  ['vision.frame.offload', { ts: 1, frame_jpeg: 'abc' }, 'bad_base64', /^frame_jpeg: /],
  ['vision.frame.offload', { ts: 1, frame_jpeg: pcm }, 'not_jpeg', /^frame_jpeg: /],
  ['voice.asr.request', { ts: 1, rate: 16000, len: pcmBytes, chunk_pcm: pcm, sample_rate: 16000 }, 'ok', /./],
  ['voice.asr.request', { ts: 1, sample_rate: 16000, len: pcmBytes, chunk_pcm: pcm }, 'missing_field', /^rate: /],
  ['voice.asr.request', { ts: 1, rate: 4000, len: pcmBytes, chunk_pcm: pcm }, 'bad_value', /^rate: /],
  ['voice.asr.request', { ts: 1, rate: 16000, len: 10, chunk_pcm: pcm }, 'bad_value', /^len: says 10 bytes/],
  ['voice.tts.request', { text: '' }, 'bad_value', /^text: /],
  ['voice.tts.request', { text: 'x'.repeat(2001) }, 'bad_value', /^text: /],
  ['voice.tts.request', { text: 'hi', task_id: '../../etc' }, 'ok', /./],
  ['voice.tts.request', { text: 'hi', task_id: 'a b' }, 'bad_value', /^task_id: /],
] as const)('%s %j -> %s', (topic, payload, reason, detail) => {
  const result = read(topic, payload as Record<string, unknown>);
  if (reason === 'ok') expect(result).toHaveProperty('kind');
  else expect(result).toMatchObject({ ok: false, topic, reason, detail: expect.stringMatching(detail) });
});

test('a frame larger than the payload limit is oversized', () => {
  expect(read('vision.frame.offload', { ts: 1, frame_jpeg: jpeg }, 1000)).toMatchObject({ ok: false, reason: 'oversized', detail: expect.stringMatching(/over the .* limit/) });
});
