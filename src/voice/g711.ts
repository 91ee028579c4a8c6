/**
 * G.711 companding (ITU-T G.711, as in the reference g711.c): 16-bit linear PCM to and from
 * 8-bit µ-law (`audio/pcmu`) and A-law (`audio/pcma`), the telephone formats of the Realtime API.
 */

const MULAW_BIAS = 0x84;
const MULAW_CLIP = 8159;
const MULAW_SEGMENT_ENDS = [0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff];
const ALAW_SEGMENT_ENDS = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];

function segment(value: number, ends: number[]): number {
  const i = ends.findIndex((end) => value <= end);
  return i === -1 ? ends.length : i;
}

export function linearToMulaw(sample: number): number {
  let value = sample >> 2;
  let mask = 0xff;
  if (value < 0) {
    value = -value;
    mask = 0x7f;
  }
  value = Math.min(value, MULAW_CLIP) + (MULAW_BIAS >> 2);
  const seg = segment(value, MULAW_SEGMENT_ENDS);
  if (seg >= 8) return 0x7f ^ mask;
  return ((seg << 4) | ((value >> (seg + 1)) & 0xf)) ^ mask;
}

export function mulawToLinear(code: number): number {
  const u = ~code & 0xff;
  const t = (((u & 0x0f) << 3) + MULAW_BIAS) << ((u & 0x70) >> 4);
  return u & 0x80 ? MULAW_BIAS - t : t - MULAW_BIAS;
}

export function linearToAlaw(sample: number): number {
  let value = sample >> 3;
  let mask = 0xd5;
  if (value < 0) {
    value = -value - 1;
    mask = 0x55;
  }
  const seg = segment(value, ALAW_SEGMENT_ENDS);
  if (seg >= 8) return 0x7f ^ mask;
  return ((seg << 4) | ((seg < 2 ? value >> 1 : value >> seg) & 0xf)) ^ mask;
}

export function alawToLinear(code: number): number {
  const a = code ^ 0x55;
  const seg = (a & 0x70) >> 4;
  let t = ((a & 0x0f) << 4) + (seg === 0 ? 8 : 0x108);
  if (seg > 1) t <<= seg - 1;
  return a & 0x80 ? t : -t;
}

const MULAW_TABLE = Int16Array.from({ length: 256 }, (_, code) => mulawToLinear(code));
const ALAW_TABLE = Int16Array.from({ length: 256 }, (_, code) => alawToLinear(code));

export function decodeMulaw(codes: Uint8Array): Int16Array {
  return Int16Array.from(codes, (c) => MULAW_TABLE[c]);
}

export function decodeAlaw(codes: Uint8Array): Int16Array {
  return Int16Array.from(codes, (c) => ALAW_TABLE[c]);
}

export function encodeMulaw(samples: Int16Array): Uint8Array {
  return Uint8Array.from(samples, linearToMulaw);
}

export function encodeAlaw(samples: Int16Array): Uint8Array {
  return Uint8Array.from(samples, linearToAlaw);
}
