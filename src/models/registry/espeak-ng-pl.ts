import type { ModelManifest } from './model-manifest';

const PACKAGE = '@echogarden/espeak-ng-emscripten';
const VERSION = '0.3.5';

/**
 * espeak-ng's Polish voice (formant synthesis, not neural), as the npm package
 * `@echogarden/espeak-ng-emscripten` ships it (WebAssembly with its voice data inside): the last
 * resort for Polish speech, since no registry ships a Polish neural voice. Nothing to install into
 * the model dir (`npm install` brings it); listed last among the voices, so an imported Piper
 * `pl_PL-*` voice is chosen before it.
 */
export const ESPEAK_NG_PL: ModelManifest = {
  id: 'espeak-ng-pl',
  family: 'espeak-ng',
  kind: 'real',
  taskTypes: ['voice.tts'],
  files: [],
  source: { repository: 'github.com/echogarden-project/espeak-ng-emscripten', commit: `npm ${PACKAGE}@${VERSION}`, url: `https://www.npmjs.com/package/${PACKAGE}/v/${VERSION}` },
  license: 'GPL-3.0',
  preferredHardware: 'cpu',
  languages: ['pl'],
  espeakVoice: 'pl',
};
