import { execFile } from 'node:child_process';
import { copyFile, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { ModelChecksumError, seedModels, sha256File, YOLOX_NANO } from '../../../../src/models';
import { recordingLog, REPO_ROOT, removeTempDirs, SHARED_MODELS, tempDir } from '../../../harness/model-test-env';

const run = promisify(execFile);

afterAll(removeTempDirs);

describe('seedModels', () => {
  test('copies a missing model from the first source that has it and verifies it', async () => {
    const modelDir = await tempDir('seed');
    const emptySource = await tempDir('empty-source');
    const { lines, log } = recordingLog();
    const report = await seedModels({ modelDir, sourceDirs: [emptySource, SHARED_MODELS], manifests: [YOLOX_NANO], log });
    const target = path.join(modelDir, 'yolox-nano');
    expect(report).toEqual({ present: [], copied: [{ id: 'yolox-nano', from: path.join(SHARED_MODELS, 'yolox-nano') }], missing: [] });
    for (const file of YOLOX_NANO.files) {
      expect(await sha256File(path.join(target, file.name))).toBe(file.sha256);
      expect((await stat(path.join(target, file.name))).size).toBe(file.bytes);
    }
    expect((await readdir(target)).sort()).toEqual(['SOURCE.md', 'labels.txt', 'yolox_nano.onnx']);
    expect(lines.map((line) => line.message)).toEqual(['model seeded']);

    const again = await seedModels({ modelDir, sourceDirs: [SHARED_MODELS], manifests: [YOLOX_NANO] });
    expect(again).toEqual({ present: ['yolox-nano'], copied: [], missing: [] });
  });

  test('reports a model no source has as missing', async () => {
    const modelDir = await tempDir('seed-none');
    const { lines, log } = recordingLog();
    const report = await seedModels({ modelDir, sourceDirs: [await tempDir('empty-source')], manifests: [YOLOX_NANO], log });
    expect(report).toEqual({ present: [], copied: [], missing: ['yolox-nano'] });
    expect(lines[0].message).toBe('model not found in any source directory');
  });

  test('refuses a source whose files do not match the manifest and leaves nothing behind', async () => {
    const source = await tempDir('bad-source');
    await mkdir(path.join(source, 'yolox-nano'));
    await copyFile(path.join(SHARED_MODELS, 'yolox-nano', 'yolox_nano.onnx'), path.join(source, 'yolox-nano', 'yolox_nano.onnx'));
    await writeFile(path.join(source, 'yolox-nano', 'labels.txt'), 'cat\ndog\n');
    const modelDir = await tempDir('seed-bad');
    const seeding = seedModels({ modelDir, sourceDirs: [source] });
    await expect(seeding).rejects.toThrow(ModelChecksumError);
    await expect(seeding).rejects.toThrow(path.join(source, 'yolox-nano', 'labels.txt'));
    expect(await readdir(path.join(modelDir, 'yolox-nano'))).toEqual([]);
  });

  test('completes a partly installed model directory', async () => {
    const modelDir = await tempDir('seed-partial');
    await mkdir(path.join(modelDir, 'yolox-nano'));
    await copyFile(path.join(SHARED_MODELS, 'yolox-nano', 'labels.txt'), path.join(modelDir, 'yolox-nano', 'labels.txt'));
    const report = await seedModels({ modelDir, sourceDirs: [SHARED_MODELS] });
    expect(report.copied.map((entry) => entry.id)).toEqual(['yolox-nano']);
    expect(await sha256File(path.join(modelDir, 'yolox-nano', 'yolox_nano.onnx'))).toBe(YOLOX_NANO.files[0].sha256);
  });
});

describe('setup script', () => {
  const setup = path.join(REPO_ROOT, 'dist', 'src', 'main', 'setup.js');

  test('seeds from OFFLOAD_MODEL_SOURCES into OFFLOAD_MODEL_DIR and prints what is installed', async () => {
    const modelDir = await tempDir('setup');
    const env = { ...process.env, OFFLOAD_MODEL_DIR: modelDir, OFFLOAD_MODEL_SOURCES: `${await tempDir('nothing')}:${SHARED_MODELS}` };
    const first = await run(process.execPath, [setup], { env });
    expect(first.stdout).toContain(`model dir: ${modelDir}`);
    expect(first.stdout).toContain(`yolox-nano: installed (copied from ${path.join(SHARED_MODELS, 'yolox-nano')}) [vision.detection, vision.frame]`);
    const second = await run(process.execPath, [setup], { env });
    expect(second.stdout).toContain('yolox-nano: installed [vision.detection, vision.frame]');
  });

  test('prints a model it cannot find as missing', async () => {
    const env = { ...process.env, OFFLOAD_MODEL_DIR: await tempDir('setup-missing'), OFFLOAD_MODEL_SOURCES: await tempDir('nothing') };
    const { stdout } = await run(process.execPath, [setup], { env });
    expect(stdout).toMatch(/yolox-nano: missing \(yolox_nano\.onnx, labels\.txt not in .*; not found in any source\)/);
  });
});
