import { alawToLinear, decodeAlaw, decodeMulaw, encodeAlaw, encodeMulaw, linearToAlaw, linearToMulaw, mulawToLinear } from '../../../src/voice/g711';

const LAWS = [
  { name: 'µ-law', encode: linearToMulaw, decode: mulawToLinear, maxError: 515, maxRelative: 0.051, peak: 32124, minSnrDb: 36 },
  { name: 'A-law', encode: linearToAlaw, decode: alawToLinear, maxError: 512, maxRelative: 0.032, peak: 32256, minSnrDb: 38 },
];

test('the reference code points of G.711 (silence, peaks)', () => {
  expect([linearToMulaw(0), linearToMulaw(-1), linearToMulaw(32767)]).toEqual([0xff, 0x7e, 0x80]);
  expect([mulawToLinear(0xff), mulawToLinear(0x80), mulawToLinear(0x00)]).toEqual([0, 32124, -32124]);
  expect([linearToAlaw(0), linearToAlaw(-1), linearToAlaw(32767)]).toEqual([0xd5, 0x55, 0xaa]);
  expect([alawToLinear(0xd5), alawToLinear(0x55), alawToLinear(0xaa)]).toEqual([8, -8, 32256]);
});

describe.each(LAWS)('$name', ({ encode, decode, maxError, maxRelative, peak, minSnrDb }) => {
  test(`every 16-bit sample comes back within ${maxError} (${maxRelative * 100}% above 256), clipped at ±${peak}`, () => {
    let worst = 0;
    let worstRelative = 0;
    for (let x = -32768; x <= 32767; x++) {
      const error = Math.abs(decode(encode(x)) - Math.max(-peak, Math.min(peak, x)));
      worst = Math.max(worst, error);
      if (Math.abs(x) >= 256) worstRelative = Math.max(worstRelative, error / Math.abs(x));
    }
    expect(worst).toBeLessThanOrEqual(maxError);
    expect(worstRelative).toBeLessThanOrEqual(maxRelative);
  });

  test('a decoded code point encodes to the same value (companding is idempotent)', () => {
    for (let code = 0; code < 256; code++) expect(decode(encode(decode(code)))).toBe(decode(code));
  });

  test(`a 440 Hz tone at -6 dBFS keeps at least ${minSnrDb} dB SNR`, () => {
    let signal = 0;
    let noise = 0;
    for (let i = 0; i < 8000; i++) {
      const x = Math.round(16384 * Math.sin((2 * Math.PI * 440 * i) / 8000));
      signal += x * x;
      noise += (decode(encode(x)) - x) ** 2;
    }
    expect(10 * Math.log10(signal / noise)).toBeGreaterThanOrEqual(minSnrDb);
  });
});

test('buffers: one byte per sample, the same as sample by sample', () => {
  const samples = Int16Array.from([0, 1000, -1000, 32767, -32768, 77]);
  expect(decodeMulaw(encodeMulaw(samples))).toEqual(Int16Array.from(samples, (s) => mulawToLinear(linearToMulaw(s))));
  expect(decodeAlaw(encodeAlaw(samples))).toEqual(Int16Array.from(samples, (s) => alawToLinear(linearToAlaw(s))));
  expect(encodeMulaw(samples)).toHaveLength(samples.length);
});
