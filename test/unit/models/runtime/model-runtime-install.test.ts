import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  createModelRuntime,
  ModelChecksumError,
  ModelNotInstalledError,
  SessionThreadError,
} from '../../../../src/models';
import { fixture, recordingLog, removeTempDirs, seededModelDir, tempDir } from '../../../harness/model-test-env';

afterAll(removeTempDirs);

describe('model runtime installation', () => {
  test('a missing model dir loads nothing: serves is false and detect is ModelNotInstalledError', async () => {
    const modelDir = path.join(await tempDir('empty'), 'does-not-exist');
    const { lines, log } = recordingLog();
    const runtime = await createModelRuntime({ modelDir, hardware: 'cpu', executionProvider: 'cpu', log });
    try {
      expect(runtime.installed()).toEqual([]);
      expect(runtime.serves('vision.detection')).toBe(false);
      expect(runtime.serves('vision.frame')).toBe(false);
      await expect(runtime.detect(await fixture('dog.jpg'))).rejects.toThrow(ModelNotInstalledError);
      await expect(runtime.detect(await fixture('dog.jpg'))).rejects.toThrow(`no model for vision.detection in ${modelDir}`);
      expect(lines).toContainEqual({
        message: 'model not installed',
        fields: expect.objectContaining({ model: 'yolox-nano', missing: ['yolox_nano.onnx', 'labels.txt'] }),
      });
    } finally {
      await runtime.close();
    }
  });

  test('a model directory with a file missing counts as not installed', async () => {
    const modelDir = await tempDir('partial');
    await mkdir(path.join(modelDir, 'yolox-nano'));
    await appendFile(path.join(modelDir, 'yolox-nano', 'labels.txt'), 'person\n');
    const runtime = await createModelRuntime({ modelDir, hardware: 'cpu', executionProvider: 'cpu' });
    expect(runtime.serves('vision.detection')).toBe(false);
    await runtime.close();
  });

  test('a checksum mismatch is a clear error naming the file', async () => {
    const modelDir = await seededModelDir();
    const labels = path.join(modelDir, 'yolox-nano', 'labels.txt');
    await appendFile(labels, 'not a coco class\n');
    const loading = createModelRuntime({ modelDir, hardware: 'cpu', executionProvider: 'cpu' });
    await expect(loading).rejects.toThrow(ModelChecksumError);
    await expect(loading).rejects.toThrow(`model file checksum mismatch: ${labels} has sha256 `);
    await expect(loading).rejects.toMatchObject({
      file: labels,
      expected: '352fe4361525f4ad0fadd293bc2b61769e71312e88cddd39867dc790fd5e0a8c',
    });
  });

  test('cuda falls back to cpu with a log line and reports the provider really used', async () => {
    const { lines, log } = recordingLog();
    const runtime = await createModelRuntime({ modelDir: await seededModelDir(), hardware: 'gpu', executionProvider: 'cuda', log });
    try {
      expect(runtime.hardware).toBe('gpu');
      expect(runtime.executionProvider).toBe('cpu');
      expect(lines.map((line) => line.message)).toContain('execution provider cuda unavailable, using cpu');
      expect(lines).toContainEqual({
        message: 'model loaded',
        fields: expect.objectContaining({ model: 'yolox-nano', executionProvider: 'cpu' }),
      });
      expect((await runtime.detect(await fixture('dog_320x240.jpg'))).result.boxes.length).toBeGreaterThan(0);
    } finally {
      await runtime.close();
    }
  });

  test('detect after close fails clearly', async () => {
    const runtime = await createModelRuntime({ modelDir: await seededModelDir(), hardware: 'cpu', executionProvider: 'cpu' });
    await runtime.close();
    await expect(runtime.detect(await fixture('dog_320x240.jpg'))).rejects.toThrow(SessionThreadError);
    await expect(runtime.detect(await fixture('dog_320x240.jpg'))).rejects.toThrow('yolox-nano: session is closed');
  });
});
