import sharp from 'sharp';
import { createModelRuntime, ModelInputError, type ModelRuntime } from '../../../../src/models';
import type { DetectionBox } from '../../../../src/shared/detection';
import { iou } from '../../../../src/models/object-detection/nms';
import { fixture, removeTempDirs, seededModelDir } from '../../../harness/model-test-env';

/** The dog in dog.jpg as YOLOX-nano found it when this test was written ([x1, y1, x2, y2] pixels). */
const REFERENCE_DOG_BOX: DetectionBox['box'] = [133, 206, 323, 543];

let runtime: ModelRuntime;

beforeAll(async () => {
  runtime = await createModelRuntime({ modelDir: await seededModelDir(), hardware: 'cpu', executionProvider: 'cpu' });
});

afterAll(async () => {
  await runtime.close();
  await removeTempDirs();
});

const labels = (boxes: DetectionBox[]): string[] => boxes.map((box) => box.label);
const best = (boxes: DetectionBox[], label: string): DetectionBox | undefined => boxes.find((box) => box.label === label);

describe('YOLOX-nano detection', () => {
  test('serves vision tasks from the real model', () => {
    expect(runtime.serves('vision.detection')).toBe(true);
    expect(runtime.serves('vision.frame')).toBe(true);
    expect(runtime.serves('voice.asr')).toBe(false);
    expect(runtime.installed()).toEqual([
      expect.objectContaining({ id: 'yolox-nano', kind: 'real', taskTypes: ['vision.detection', 'vision.frame'] }),
    ]);
    expect(runtime.executionProvider).toBe('cpu');
  });

  test('dog.jpg: dog, bicycle and car; the dog matches the reference box', async () => {
    const output = await runtime.detect(await fixture('dog.jpg'));
    const { boxes, image } = output.result;
    expect(image).toEqual({ width: 768, height: 576 });
    expect(labels(boxes)).toEqual(expect.arrayContaining(['dog', 'bicycle', 'car']));
    const dog = best(boxes, 'dog');
    expect(dog?.score).toBeGreaterThan(0.5);
    expect(dog?.class_id).toBe(16);
    expect(iou(dog!.box, REFERENCE_DOG_BOX)).toBeGreaterThanOrEqual(0.5);
    expect(output.model).toEqual({ id: 'yolox-nano', kind: 'real' });
    for (const timing of Object.values(output.timings)) expect(timing).toBeGreaterThanOrEqual(0);
    console.log(`dog.jpg timings (ms): ${JSON.stringify(output.timings)}`);
  });

  test('bus.jpg: a bus and at least 3 persons, boxes inside the image', async () => {
    const { boxes, image } = (await runtime.detect(await fixture('bus.jpg'))).result;
    expect(image).toEqual({ width: 810, height: 1080 });
    expect(labels(boxes)).toContain('bus');
    expect(boxes.filter((box) => box.label === 'person').length).toBeGreaterThanOrEqual(3);
    for (const { box } of boxes) {
      expect(box[0]).toBeGreaterThanOrEqual(0);
      expect(box[1]).toBeGreaterThanOrEqual(0);
      expect(box[2]).toBeLessThanOrEqual(image.width);
      expect(box[3]).toBeLessThanOrEqual(image.height);
      expect(box[2]).toBeGreaterThan(box[0]);
      expect(box[3]).toBeGreaterThan(box[1]);
    }
  });

  test('boxes are sorted by score and respect the score threshold', async () => {
    const { boxes } = (await runtime.detect(await fixture('bus.jpg'), { scoreThreshold: 0.6 })).result;
    expect(boxes.length).toBeGreaterThan(0);
    expect(boxes.every((box) => box.score >= 0.6)).toBe(true);
    expect(boxes.map((box) => box.score)).toEqual([...boxes.map((box) => box.score)].sort((a, b) => b - a));
  });

  test('320x240 variants still find the dog and the bus, in their own pixel space', async () => {
    const dog = (await runtime.detect(await fixture('dog_320x240.jpg'))).result;
    expect(dog.image).toEqual({ width: 320, height: 240 });
    expect(labels(dog.boxes)).toContain('dog');
    const scaledReference = REFERENCE_DOG_BOX.map((value) => (value * 320) / 768) as DetectionBox['box'];
    expect(iou(best(dog.boxes, 'dog')!.box, scaledReference)).toBeGreaterThanOrEqual(0.5);
    const bus = (await runtime.detect(await fixture('bus_320x240.jpg'))).result;
    expect(labels(bus.boxes)).toContain('bus');
  });

  test('decodes PNG and Uint8Array input the same as JPEG', async () => {
    const png = await sharp(await fixture('dog.jpg')).png().toBuffer();
    const { boxes } = (await runtime.detect(new Uint8Array(png))).result;
    expect(labels(boxes)).toEqual(expect.arrayContaining(['dog', 'bicycle', 'car']));
    expect(iou(best(boxes, 'dog')!.box, REFERENCE_DOG_BOX)).toBeGreaterThanOrEqual(0.5);
  });

  test('corrupt, truncated, empty and unsupported images are ModelInputError', async () => {
    const dog = await fixture('dog.jpg');
    const gif = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');
    await expect(runtime.detect(Buffer.from('definitely not an image'))).rejects.toThrow(ModelInputError);
    await expect(runtime.detect(Buffer.from('definitely not an image'))).rejects.toThrow(/image could not be decoded: /);
    await expect(runtime.detect(dog.subarray(0, dog.length / 2))).rejects.toThrow(/image could not be decoded: .*premature end/);
    await expect(runtime.detect(new Uint8Array(0))).rejects.toThrow(new ModelInputError('image is empty'));
    await expect(runtime.detect(gif)).rejects.toThrow(/unsupported image format gif/);
  });

  test('out-of-range thresholds are ModelInputError', async () => {
    const dog = await fixture('dog_320x240.jpg');
    await expect(runtime.detect(dog, { scoreThreshold: 1.5 })).rejects.toThrow(ModelInputError);
    await expect(runtime.detect(dog, { nmsThreshold: -0.1 })).rejects.toThrow(/nmsThreshold must be a number between 0 and 1/);
  });

  test('a runtime keeps working after bad input', async () => {
    await expect(runtime.detect(Buffer.from([0xff, 0xd8, 0xff]))).rejects.toThrow(ModelInputError);
    expect(labels((await runtime.detect(await fixture('person.jpg'))).result.boxes)).toEqual(
      expect.arrayContaining(['person', 'dog', 'horse']),
    );
  });
});
