import { decodePcmS16le, floatToPcm16, resample } from '../models/audio';
import { decodeAlaw, decodeMulaw, encodeAlaw, encodeMulaw } from './g711';

/** The audio formats of the OpenAI Realtime API: pcm16 mono at 24 kHz, G.711 µ-law and A-law at 8 kHz. */
export type WireAudioFormat = 'audio/pcm' | 'audio/pcmu' | 'audio/pcma';

export const WIRE_SAMPLE_RATE: Record<WireAudioFormat, number> = { 'audio/pcm': 24_000, 'audio/pcmu': 8_000, 'audio/pcma': 8_000 };
/** What the VAD and the recognisers listen at. */
export const LISTENING_RATE = 16_000;
/** Piper voices speak at 22.05 kHz. */
export const PIPER_RATE = 22_050;

export function bytesPerSample(format: WireAudioFormat): number {
  return format === 'audio/pcm' ? 2 : 1;
}

/** Wire bytes (whole samples) to floats in -1..1 at the format's rate. */
export function decodeWireAudio(format: WireAudioFormat, bytes: Uint8Array): Float32Array {
  if (format === 'audio/pcm') return decodePcmS16le(bytes);
  return int16ToFloat(format === 'audio/pcmu' ? decodeMulaw(bytes) : decodeAlaw(bytes));
}

/** Floats in -1..1 at the format's rate to wire bytes. */
export function encodeWireAudio(format: WireAudioFormat, samples: Float32Array): Uint8Array {
  const pcm = floatToPcm16(samples);
  if (format === 'audio/pcmu') return encodeMulaw(pcm);
  if (format === 'audio/pcma') return encodeAlaw(pcm);
  return pcm16Bytes(pcm);
}

/** Wire audio to what the VAD and ASR take (16 kHz floats). */
export function toListeningRate(format: WireAudioFormat, bytes: Uint8Array): Float32Array {
  return resample(decodeWireAudio(format, bytes), WIRE_SAMPLE_RATE[format], LISTENING_RATE);
}

/** Speech (floats at `fromRate`, e.g. Piper's 22.05 kHz) as base64 wire audio of `format`: an `output_audio.delta`. */
export function speechToBase64(format: WireAudioFormat, samples: Float32Array, fromRate: number): string {
  return Buffer.from(encodeWireAudio(format, resample(samples, fromRate, WIRE_SAMPLE_RATE[format]))).toString('base64');
}

export function durationMs(format: WireAudioFormat, bytes: number): number {
  return (bytes / bytesPerSample(format) / WIRE_SAMPLE_RATE[format]) * 1000;
}

/** Little-endian bytes of 16-bit samples (what the AudioStore keeps and ASR reads as `pcm_s16le`). */
export function pcm16Bytes(samples: Int16Array): Uint8Array {
  const out = new Uint8Array(samples.length * 2);
  const view = new DataView(out.buffer);
  samples.forEach((s, i) => view.setInt16(i * 2, s, true));
  return out;
}

function int16ToFloat(samples: Int16Array): Float32Array {
  return Float32Array.from(samples, (s) => s / 32768);
}
