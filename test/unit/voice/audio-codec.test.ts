import { resample } from '../../../src/models/audio';
import { decodeWireAudio, durationMs, encodeWireAudio, PIPER_RATE, speechToBase64, toListeningRate, WIRE_SAMPLE_RATE } from '../../../src/voice/audio-codec';

const sine = (hz: number, rate: number, samples: number, amplitude = 0.5) => Float32Array.from({ length: samples }, (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / rate));

/** Signal to error in dB, leaving out `edge` samples at each end (the filter has no audio beyond them). */
function snrDb(reference: Float32Array, actual: Float32Array, edge = 100): number {
  let signal = 0;
  let error = 0;
  for (let i = edge; i < reference.length - edge; i++) {
    signal += reference[i] ** 2;
    error += (reference[i] - actual[i]) ** 2;
  }
  return 10 * Math.log10(signal / error);
}

test('pcm16 on the wire: 24 kHz, 2 bytes a sample, little-endian, back to within one step', () => {
  const samples = sine(440, 24_000, 480);
  const bytes = encodeWireAudio('audio/pcm', samples);
  expect(bytes).toHaveLength(960);
  expect(durationMs('audio/pcm', bytes.length)).toBe(20);
  const back = decodeWireAudio('audio/pcm', bytes);
  for (let i = 0; i < samples.length; i++) expect(Math.abs(back[i] - samples[i])).toBeLessThanOrEqual(1 / 32768);
  expect(Array.from(encodeWireAudio('audio/pcm', Float32Array.of(-1, 0.5)))).toEqual([0x00, 0x80, 0x00, 0x40]);
});

test.each(['audio/pcmu', 'audio/pcma'] as const)('%s on the wire: 8 kHz, a byte a sample, a tone back at over 35 dB', (format) => {
  const tone = sine(440, 8_000, 800);
  const bytes = encodeWireAudio(format, tone);
  expect(bytes).toHaveLength(800);
  expect(durationMs(format, bytes.length)).toBe(100);
  expect(snrDb(tone, decodeWireAudio(format, bytes), 0)).toBeGreaterThan(35);
});

test('24 kHz to the 16 kHz the VAD and ASR listen at and back: a speech-band tone keeps over 70 dB', () => {
  const tone = sine(440, 24_000, 24_000);
  const heard = toListeningRate('audio/pcm', encodeWireAudio('audio/pcm', tone));
  expect(heard).toHaveLength(16_000);
  expect(snrDb(sine(440, 16_000, 16_000), heard)).toBeGreaterThan(70);
  expect(snrDb(tone, resample(heard, 16_000, 24_000))).toBeGreaterThan(70);
});

test('telephone audio (8 kHz G.711) to 16 kHz: twice the samples, the tone kept at over 30 dB', () => {
  const heard = toListeningRate('audio/pcmu', encodeWireAudio('audio/pcmu', sine(440, 8_000, 8_000)));
  expect(heard).toHaveLength(16_000);
  expect(snrDb(sine(440, 16_000, 16_000), heard)).toBeGreaterThan(30);
});

test('Piper`s 22.05 kHz speech as a 24 kHz output_audio.delta: the tone it should be, at over 80 dB before quantisation', () => {
  const speech = sine(1000, PIPER_RATE, PIPER_RATE);
  const at24k = resample(speech, PIPER_RATE, WIRE_SAMPLE_RATE['audio/pcm']);
  expect(at24k).toHaveLength(24_000);
  expect(snrDb(sine(1000, 24_000, 24_000), at24k)).toBeGreaterThan(80);
  const delta = speechToBase64('audio/pcm', speech, PIPER_RATE);
  const wire = decodeWireAudio('audio/pcm', Buffer.from(delta, 'base64'));
  expect(wire).toHaveLength(24_000);
  expect(snrDb(sine(1000, 24_000, 24_000), wire)).toBeGreaterThan(70);
});

test('Piper speech for a G.711 client: 8 kHz µ-law bytes in base64', () => {
  const delta = speechToBase64('audio/pcmu', sine(440, PIPER_RATE, PIPER_RATE), PIPER_RATE);
  const bytes = Buffer.from(delta, 'base64');
  expect(bytes).toHaveLength(8_000);
  expect(snrDb(sine(440, 8_000, 8_000), decodeWireAudio('audio/pcmu', bytes))).toBeGreaterThan(30);
});
