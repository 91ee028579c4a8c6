import { createModelRuntime, type ModelRuntime } from '../../../../src/models';
import { ESPEAK_NG_PL } from '../../../../src/models/registry/espeak-ng-pl';
import { SILERO_VAD } from '../../../../src/models/registry/silero-vad';
import { WHISPER_TINY_EN } from '../../../../src/models/registry/whisper-tiny-en';
import { EspeakSynthesizer } from '../../../../src/models/speech-synthesis/espeak-synthesizer';
import { removeTempDirs } from '../../../harness/model-test-env';
import { modelDirWith } from '../../../harness/speech-test-env';

/**
 * The strongest check of the espeak-ng speech path this checkout can make: no recogniser here
 * understands Polish (Whisper tiny.en is English-only), so the same synthesizer, thread, voice data
 * and 16 kHz resampling speak English with espeak-ng's `en-us` voice, and Whisper must hear the
 * words. Audio at a wrong rate or garbled samples would not be recognised.
 */
let espeak: EspeakSynthesizer;
let asr: ModelRuntime;

beforeAll(async () => {
  const modelDir = await modelDirWith([SILERO_VAD, WHISPER_TINY_EN, ESPEAK_NG_PL]);
  espeak = await EspeakSynthesizer.load({ manifest: { ...ESPEAK_NG_PL, id: 'espeak-ng-en-us', espeakVoice: 'en-us' }, dir: `${modelDir}/${ESPEAK_NG_PL.id}` });
  asr = await createModelRuntime({ modelDir, hardware: 'cpu', executionProvider: 'cpu' });
});

afterAll(async () => {
  await espeak?.close();
  await asr?.close();
  await removeTempDirs();
});

test("Whisper tiny.en recognises the words of espeak-ng's 16 kHz speech (English voice, same pipeline as Polish)", async () => {
  const { result } = await espeak.synthesize('Please stop moving. Turn left now.', { language: 'en' });
  expect(result.sample_rate).toBe(16_000);
  const heard = (await asr.transcribe({ data: Buffer.from(result.audio_base64, 'base64'), format: 'wav' })).result.text;
  console.log(`espeak-ng en-us "Please stop moving. Turn left now." → Whisper tiny.en: "${heard}"`);
  const words = heard.toLowerCase().replace(/[^a-z ]/g, ' ').split(/\s+/);
  expect(words).toEqual(expect.arrayContaining(['stop', 'moving', 'turn', 'left']));
});
