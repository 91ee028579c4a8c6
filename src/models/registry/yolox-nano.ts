import type { ModelManifest } from './model-manifest';

const IINFER_COMMIT = 'c7f9a3c5216c6f8b3e8b35886f863dffa2dc0bf9';
const YOLOX_NANO_URL = `https://raw.githubusercontent.com/hamacom2004jp/iinfer/${IINFER_COMMIT}/models/yolox_nano.onnx`;

export const YOLOX_NANO: ModelManifest = {
  id: 'yolox-nano',
  family: 'yolox',
  kind: 'real',
  taskTypes: ['vision.detection', 'vision.frame'],
  files: [
    {
      name: 'yolox_nano.onnx',
      sha256: 'd39bee73564e338080378b0ad567fbb40e818b55bbfaf971de82a0267ed16b8a',
      bytes: 3_713_911,
      url: YOLOX_NANO_URL,
    },
    {
      name: 'labels.txt',
      sha256: '352fe4361525f4ad0fadd293bc2b61769e71312e88cddd39867dc790fd5e0a8c',
      bytes: 605,
    },
  ],
  source: { repository: 'hamacom2004jp/iinfer', commit: IINFER_COMMIT, url: YOLOX_NANO_URL },
  license: 'Apache-2.0',
  preferredHardware: 'gpu',
};
