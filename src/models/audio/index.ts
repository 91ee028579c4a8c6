export { decodeAudio, MAX_AUDIO_SECONDS } from './decode-audio';
export { resample } from './resample';
export { decodePcmS16le, decodeWav, encodeWav, floatToPcm16, type DecodedAudio } from './wav';
