import { fixtureBase64 } from './fixtures';

export const SECRET = 'SECRET-ROBOT-WORDS';
const jpeg = fixtureBase64('images/dog_320x240.jpg');
const pcm = fixtureBase64('audio/hello_world.s16le.pcm');
const b64 = (text: string) => Buffer.from(text).toString('base64');

/** One malformed message per case, on every request topic, with the reason the bridge must give. */
export const GARBAGE: Array<{ frames: Array<string | Buffer>; topic: string; reason: string }> = [
  { frames: ['vision.frame.offload', `{not json ${SECRET}`], topic: 'vision.frame.offload', reason: 'not_json' },
  { frames: ['vision.frame.offload', Buffer.from([0xff, 0xfe, 0x00, 0x81])], topic: 'vision.frame.offload', reason: 'not_json' },
  { frames: ['vision.frame.offload', JSON.stringify([1, 2, 3])], topic: 'vision.frame.offload', reason: 'not_object' },
  { frames: ['vision.frame.offload', JSON.stringify({ ts: 1.5, size: { w: 320, h: 240 } })], topic: 'vision.frame.offload', reason: 'missing_field' },
  { frames: ['vision.frame.offload', JSON.stringify({ ts: 'yesterday', frame_jpeg: jpeg })], topic: 'vision.frame.offload', reason: 'wrong_type' },
  { frames: ['vision.frame.offload', JSON.stringify({ ts: 1.5, frame_jpeg: `@@${SECRET}@@` })], topic: 'vision.frame.offload', reason: 'bad_base64' },
  { frames: ['vision.frame.offload', JSON.stringify({ ts: 1.5, frame_jpeg: b64(`${SECRET} is no image`) })], topic: 'vision.frame.offload', reason: 'not_jpeg' },
  { frames: ['vision.frame.offload', JSON.stringify({ ts: 1.5, frame_jpeg: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(1100 * 1024)]).toString('base64') })], topic: 'vision.frame.offload', reason: 'oversized' },
  { frames: ['vision.frame.offload', ''], topic: 'vision.frame.offload', reason: 'no_payload' },
  { frames: ['vision.frame.offload'], topic: 'vision.frame.offload', reason: 'no_payload' },
  { frames: ['vision.frame.offload.debug', JSON.stringify({ ts: 1 })], topic: 'other', reason: 'unknown_topic' },
  { frames: ['voice.asr.request', JSON.stringify({ ts: 1.5, len: 4, chunk_pcm: b64('abcd') })], topic: 'voice.asr.request', reason: 'missing_field' },
  { frames: ['voice.asr.request', JSON.stringify({ ts: 1.5, rate: '16000', len: 4, chunk_pcm: b64('abcd') })], topic: 'voice.asr.request', reason: 'wrong_type' },
  { frames: ['voice.asr.request', JSON.stringify({ ts: 1.5, rate: 16000, len: 999, chunk_pcm: pcm })], topic: 'voice.asr.request', reason: 'bad_value' },
  { frames: ['voice.asr.request', JSON.stringify({ ts: 1.5, rate: 16000, len: 3, chunk_pcm: b64('abc') })], topic: 'voice.asr.request', reason: 'bad_value' },
  { frames: ['voice.asr.request', JSON.stringify({ ts: 1.5, rate: 16000, len: 4, chunk_pcm: '!!!!' })], topic: 'voice.asr.request', reason: 'bad_base64' },
  { frames: ['voice.asr.request', `${SECRET}`], topic: 'voice.asr.request', reason: 'not_json' },
  { frames: ['voice.tts.request', JSON.stringify({ text: '   ' })], topic: 'voice.tts.request', reason: 'bad_value' },
  { frames: ['voice.tts.request', JSON.stringify({ text: 42 })], topic: 'voice.tts.request', reason: 'wrong_type' },
  { frames: ['voice.tts.request', JSON.stringify({ voice: 'joe' })], topic: 'voice.tts.request', reason: 'missing_field' },
  { frames: ['voice.tts.request', JSON.stringify({ text: SECRET, task_id: 'has spaces; and more' })], topic: 'voice.tts.request', reason: 'bad_value' },
  { frames: ['voice.tts.request', 'null'], topic: 'voice.tts.request', reason: 'not_object' },
];

