import sharp from 'sharp';
import type { DetectionResult } from '../../src/shared/detection';
import { fixtureBase64 } from '../harness/fixtures';
import { OffloadTestEnv } from '../harness/offload-env';
import { closeTestRuntimes } from '../harness/test-runtime';

let env: OffloadTestEnv;

beforeAll(async () => {
  env = await OffloadTestEnv.start({ hardware: ['cpu'], env: { OFFLOAD_ROUTES: 'vision.detection=cpu' } });
});

afterAll(async () => {
  await env?.close();
  await closeTestRuntimes();
});

test('vision.detection with meta.model "ppocr-v4" reads the text on a sign', async () => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200"><rect width="100%" height="100%" fill="white"/><rect x="60" y="40" width="280" height="120" fill="#c00"/><text x="200" y="128" font-family="sans-serif" font-weight="bold" font-size="72" fill="white" text-anchor="middle">STOP</text></svg>';
  const png = await sharp(Buffer.from(svg)).png().toBuffer();
  const result = await env.offload.submit({ task_type: 'vision.detection', payload: { image_base64: png.toString('base64') }, meta: { model: 'ppocr-v4' } });
  expect(result.status).toBe('completed');
  expect(result.meta).toMatchObject({ model: 'ppocr-v4', model_kind: 'real' });
  expect((result.result as DetectionResult).boxes).toEqual([expect.objectContaining({ label: 'text', text: 'STOP' })]);
});

test('without meta.model, vision.detection stays with YOLOX', async () => {
  const result = await env.offload.submit({ task_type: 'vision.detection', payload: { image_base64: fixtureBase64('images/dog.jpg') } });
  expect(result.meta.model).toBe('yolox-nano');
});
