import { bestVoice, languageOfVoice, voiceFit, type SpokenVoice } from '../../../../src/models/speech-synthesis/voice-fit';

const joe: SpokenVoice = { names: new Set(['piper-en_us-joe-medium', 'en_us-joe-medium', 'joe', 'en_us', 'en-us']), language: 'en' };
const gosia: SpokenVoice = { names: new Set(['piper-pl_pl-gosia-medium', 'pl_pl-gosia-medium', 'gosia', 'pl_pl', 'pl']), language: 'pl' };
const espeak: SpokenVoice = { names: new Set(['espeak-ng-pl', 'pl']), language: 'pl', servesDefault: false };

describe('how a voice fits a speech request', () => {
  test('the language a voice name or tag starts with', () => {
    expect(['pl_PL-gosia-medium', 'pl-PL', 'pl', 'EN_us-joe-medium', 'en-us', 'joe', 'default', 'piper-en_US-joe-medium', ''].map(languageOfVoice)).toEqual([
      'pl',
      'pl',
      'pl',
      'en',
      'en',
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  test('named beats language beats default; espeak-ng never serves a request that names nothing', () => {
    expect([joe, gosia, espeak].map((v) => voiceFit(v, { voice: 'pl_PL-gosia-medium' }))).toEqual(['none', 'named', 'language']);
    expect([joe, gosia, espeak].map((v) => voiceFit(v, { language: 'pl' }))).toEqual(['none', 'language', 'language']);
    expect([joe, gosia, espeak].map((v) => voiceFit(v, {}))).toEqual(['default', 'default', 'none']);
    expect([joe, gosia, espeak].map((v) => voiceFit(v, { voice: 'default' }))).toEqual(['default', 'default', 'none']);
    expect([joe, gosia, espeak].map((v) => voiceFit(v, { voice: 'joe', language: 'pl' }))).toEqual(['none', 'language', 'language']);
    expect([joe, gosia, espeak].map((v) => voiceFit(v, { voice: 'thorsten' }))).toEqual(['none', 'none', 'none']);
  });

  test('the best fit wins, the first of equals (manifest order: an imported Piper voice before espeak-ng)', () => {
    expect(bestVoice(['none', 'language', 'language'])).toBe(1);
    expect(bestVoice(['default', 'language', 'named'])).toBe(2);
    expect(bestVoice(['default', 'default', 'none'])).toBe(0);
    expect(bestVoice(['none', 'none'])).toBe(-1);
    expect(bestVoice([])).toBe(-1);
  });
});
