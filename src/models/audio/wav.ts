import { ModelInputError } from '../registry/model-errors';

export interface DecodedAudio {
  /** Mono samples in -1..1. */
  samples: Float32Array;
  sampleRate: number;
}

/** Reads a RIFF/WAVE file (PCM 8/16/24/32-bit or IEEE float 32-bit, any channel count) as mono floats. */
export function decodeWav(bytes: Uint8Array): DecodedAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12 || ascii(bytes, 0, 4) !== 'RIFF' || ascii(bytes, 8, 4) !== 'WAVE') {
    throw new ModelInputError('audio is not a WAV file (no RIFF/WAVE header)');
  }
  let format: { code: number; channels: number; sampleRate: number; bits: number } | undefined;
  for (let offset = 12; offset + 8 <= bytes.length; ) {
    const id = ascii(bytes, offset, 4);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16) throw new ModelInputError('WAV fmt chunk is too short');
      let code = view.getUint16(body, true);
      if (code === 0xfffe && size >= 40) code = view.getUint16(body + 24, true);
      format = { code, channels: view.getUint16(body + 2, true), sampleRate: view.getUint32(body + 4, true), bits: view.getUint16(body + 14, true) };
    } else if (id === 'data') {
      if (!format) throw new ModelInputError('WAV data chunk comes before its fmt chunk');
      const end = Math.min(bytes.length, body + size);
      return { samples: toMono(view, body, end, format), sampleRate: format.sampleRate };
    }
    offset = body + size + (size % 2);
  }
  throw new ModelInputError('WAV file has no data chunk');
}

function toMono(view: DataView, start: number, end: number, f: { code: number; channels: number; sampleRate: number; bits: number }): Float32Array {
  if (f.channels < 1) throw new ModelInputError('WAV file has no channels');
  if (f.sampleRate < 1000 || f.sampleRate > 384000) throw new ModelInputError(`WAV sample rate ${f.sampleRate} Hz is not usable`);
  const isFloat = f.code === 3;
  if (!(f.code === 1 || isFloat) || (isFloat && f.bits !== 32) || ![8, 16, 24, 32].includes(f.bits)) {
    throw new ModelInputError(`WAV encoding ${f.code}/${f.bits}-bit is not supported (use PCM 16-bit)`);
  }
  const width = f.bits / 8;
  const frames = Math.floor((end - start) / (width * f.channels));
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < f.channels; c++) sum += readSample(view, start + (i * f.channels + c) * width, f.bits, isFloat);
    out[i] = sum / f.channels;
  }
  return out;
}

function readSample(view: DataView, at: number, bits: number, isFloat: boolean): number {
  if (isFloat) return view.getFloat32(at, true);
  switch (bits) {
    case 8:
      return (view.getUint8(at) - 128) / 128;
    case 16:
      return view.getInt16(at, true) / 32768;
    case 24: {
      const value = view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16);
      return value / 8388608;
    }
    default:
      return view.getInt32(at, true) / 2147483648;
  }
}

/** Raw little-endian signed 16-bit mono PCM (what the robot sends) as floats. */
export function decodePcmS16le(bytes: Uint8Array): Float32Array {
  if (bytes.length % 2 !== 0) throw new ModelInputError(`raw PCM s16le must have an even number of bytes, got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt16(i * 2, true) / 32768;
  return out;
}

/** Floats in -1..1 as 16-bit PCM. */
export function floatToPcm16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]));
    out[i] = s < 0 ? Math.round(s * 32768) : Math.round(s * 32767);
  }
  return out;
}

/** A mono 16-bit PCM WAV file. */
export function encodeWav(pcm: Int16Array, sampleRate: number): Uint8Array {
  const dataBytes = pcm.length * 2;
  const out = new Uint8Array(44 + dataBytes);
  const view = new DataView(out.buffer);
  const text = (at: number, s: string) => [...s].forEach((ch, i) => view.setUint8(at + i, ch.charCodeAt(0)));
  text(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, 'data');
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < pcm.length; i++) view.setInt16(44 + i * 2, pcm[i], true);
  return out;
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}
