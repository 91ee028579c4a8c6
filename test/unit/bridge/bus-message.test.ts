import { parseBusMessage } from '../../../src/bridge/bus-message';

const LIMIT = 10_000;
const parse = (...frames: Array<string | Buffer>) => parseBusMessage(frames.map((f) => (typeof f === 'string' ? Buffer.from(f) : f)), LIMIT);

test('multipart [topic, JSON] on a request topic', () => {
  expect(parse('vision.frame.offload', '{"ts": 1.5}')).toEqual({ ok: true, topic: 'vision.frame.offload', payload: { ts: 1.5 } });
});

test('a single frame "<topic> <JSON>" (how some robot processes publish) carries its payload', () => {
  expect(parse('voice.tts.request {"text": "hi"}')).toEqual({ ok: true, topic: 'voice.tts.request', payload: { text: 'hi' } });
});

test('extra frames are joined to the payload, as the robot\'s readers do', () => {
  expect(parse('voice.tts.request', '{"text":', ' "hi"}')).toMatchObject({ ok: true, payload: { text: 'hi' } });
});

test.each([
  [['vision.frame.offload.debug', '{}'], 'other', 'unknown_topic'],
  [['vision.frame.offloadX {}'], 'other', 'unknown_topic'],
  [['vision.frame.offload'], 'vision.frame.offload', 'no_payload'],
  [['vision.frame.offload', ''], 'vision.frame.offload', 'no_payload'],
  [['voice.asr.request', 'not json'], 'voice.asr.request', 'not_json'],
  [['voice.asr.request', '[1]'], 'voice.asr.request', 'not_object'],
  [['voice.asr.request', '"text"'], 'voice.asr.request', 'not_object'],
  [['voice.asr.request', `{"x":"${'a'.repeat(LIMIT)}"}`], 'voice.asr.request', 'oversized'],
])('%j is dropped as %s/%s', (frames, topic, reason) => {
  expect(parse(...frames)).toMatchObject({ ok: false, topic, reason, detail: expect.any(String) });
});

test('the reason never quotes the payload', () => {
  const result = parse('voice.asr.request', 'my secret words');
  expect(result).toMatchObject({ ok: false, reason: 'not_json' });
  expect(JSON.stringify(result)).not.toContain('secret');
});
