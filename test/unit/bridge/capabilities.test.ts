import { createCapabilities } from '../../../src/bridge/capabilities';
import { countLive, type Heartbeat } from '../../../src/client/live-workers';
import { DEFAULT_ROUTES } from '../../../src/config/defaults';
import { MODEL_MANIFESTS } from '../../../src/models/registry/manifests';

const yolox = MODEL_MANIFESTS.filter((m) => m.id === 'yolox-nano');

function capabilities(workers: { gpu: number; cpu: number } | Error, models = yolox) {
  return createCapabilities({
    workers: { liveWorkers: async () => { if (workers instanceof Error) throw workers; return workers; } },
    installed: async () => models,
    routes: DEFAULT_ROUTES,
    version: 'offload/test',
    cacheMs: 0,
  });
}

test('vision is "pc" with a live worker and the detector installed; a domain without models is "local" and says why', async () => {
  const caps = await capabilities({ gpu: 0, cpu: 1 }).get();
  expect(caps.version).toBe('offload/test');
  expect(caps.vision).toMatchObject({ mode: 'pc', features: ['frame_offload', 'obstacle_enhanced', 'detection'], model: 'yolox-nano', version: '1.0.0' });
  expect(caps.voice).toMatchObject({ mode: 'local', features: [], reason: expect.stringMatching(/no model installed for voice\.asr.*voice\.tts/) });
  expect(caps.text.mode).toBe('local');
});

test('no live worker: every domain "local", naming the hardware it waited for', async () => {
  const caps = await capabilities({ gpu: 0, cpu: 0 }).get();
  expect(caps.vision).toMatchObject({ mode: 'local', features: [], reason: 'no live gpu or cpu worker for vision.frame; no live gpu or cpu worker for vision.detection' });
});

test('Temporal unreachable: answers anyway, all local', async () => {
  const caps = await capabilities(new Error('connection refused')).get();
  expect(caps.vision).toMatchObject({ mode: 'local', reason: expect.stringMatching(/connection refused/) });
});

test('answers even when the probe hangs: its timeout gives "local", saying so', async () => {
  // The probe never settles: an answer at all can only come from the timeout.
  const caps = createCapabilities({ workers: { liveWorkers: () => new Promise(() => undefined) }, installed: async () => yolox, routes: DEFAULT_ROUTES, version: 'x', timeoutMs: 100 });
  expect((await caps.get()).vision).toMatchObject({ mode: 'local', reason: 'Offload cannot see its workers: no answer from Temporal within 100 ms' });
});

const beat = (identity: string, running: boolean, ageMs: number, intervalMs = 5000): Heartbeat => ({ identity, running, ageMs, intervalMs });

test('liveness: running heartbeats count; shut-down or silent ones do not, whatever their pollers say', () => {
  expect(countLive([beat('1@a', true, 1000)], [{ identity: '1@a', ageMs: 30_000 }])).toBe(1);
  expect(countLive([beat('1@a', false, 500)], [{ identity: '1@a', ageMs: 600 }])).toBe(0);
  expect(countLive([beat('1@a', true, 20_000)], [{ identity: '1@a', ageMs: 20_000 }])).toBe(0);
});

test('liveness: pollers of workers that never heartbeat count while recent', () => {
  expect(countLive([], [{ identity: '2@b', ageMs: 30_000 }])).toBe(1);
  expect(countLive([], [{ identity: '2@b', ageMs: 80_000 }])).toBe(0);
  // a killed worker: its poll time is refreshed as its connection drops, its heartbeats stop
  expect(countLive([beat('3@c', true, 9000, 2000)], [{ identity: '3@c', ageMs: 1000 }])).toBe(0);
});

describe("the robot's language picks the ASR model the capabilities report", () => {
  const asrModels = MODEL_MANIFESTS.filter((m) => m.id === 'whisper-tiny.en' || m.id === 'whisper-base');
  const inLanguage = (language: string, models = asrModels) =>
    createCapabilities({ workers: { liveWorkers: async () => ({ gpu: 0, cpu: 1 }) }, installed: async () => models, routes: DEFAULT_ROUTES, language, version: 'x', cacheMs: 0 }).get();

  test('pl: the multilingual whisper-base; en: whisper-tiny.en, made for English (and faster)', async () => {
    expect((await inLanguage('pl')).voice).toMatchObject({ mode: 'pc', features: ['asr'], asr_model: 'whisper-base' });
    expect((await inLanguage('en')).voice).toMatchObject({ mode: 'pc', features: ['asr'], asr_model: 'whisper-tiny.en' });
  });

  test('pl with only the English model: no asr, saying the model does not speak Polish', async () => {
    const caps = await inLanguage('pl', asrModels.filter((m) => m.id === 'whisper-tiny.en'));
    expect(caps.voice).toMatchObject({ mode: 'local', features: [], asr_model: null, reason: expect.stringContaining('no model installed for voice.asr that speaks "pl"') });
  });
});
