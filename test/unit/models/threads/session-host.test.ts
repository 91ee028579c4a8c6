import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SessionThreadError } from '../../../../src/models';
import { SessionHost, type SessionHostOptions } from '../../../../src/models/threads/session-host';
import type { WireTensors } from '../../../../src/models/threads/session-protocol';
import { recordingLog, removeTempDirs, SHARED_MODELS, tempDir } from '../../../harness/model-test-env';

/** Echoes `x`; never answers `hold`; throws (crashing the thread) on `crash`; exits on `exit`. */
const FAKE_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
if (workerData.modelPath === 'init-fails') {
  parentPort.postMessage({ kind: 'init-failed', message: 'no such model' });
} else {
  parentPort.postMessage({ kind: 'ready', executionProvider: 'cpu', inputNames: ['x'], outputNames: ['x'] });
  parentPort.on('message', ({ id, feeds }) => {
    if (feeds.crash) throw new Error('boom');
    if (feeds.exit) process.exit(7);
    if (!feeds.hold) parentPort.postMessage({ kind: 'result', id, outputs: feeds });
  });
}
`;

const tensor = (name: string, values: number[]): WireTensors => ({
  [name]: { type: 'float32', data: Float32Array.from(values), dims: [values.length] },
});

const floats = (tensor: WireTensors[string]): number[] => Array.from(tensor.data as Float32Array);

let fakeEntry: string;
const hosts: SessionHost[] = [];

async function start(options: Partial<SessionHostOptions> = {}): Promise<SessionHost> {
  const host = await SessionHost.start({
    name: 'fake',
    modelPath: 'fake.onnx',
    executionProvider: 'cpu',
    threadEntry: fakeEntry,
    warmupFeeds: () => tensor('x', [0]),
    ...options,
  });
  hosts.push(host);
  return host;
}

beforeAll(async () => {
  fakeEntry = path.join(await tempDir('thread'), 'fake-thread.js');
  await writeFile(fakeEntry, FAKE_THREAD);
});

afterAll(async () => {
  await Promise.all(hosts.map((host) => host.close()));
  await removeTempDirs();
});

describe('SessionHost', () => {
  test('moves feed buffers to the thread and gets outputs back', async () => {
    const host = await start();
    const feeds = tensor('x', [1, 2, 3]);
    const outputs = await host.run(feeds);
    expect(floats(outputs.x)).toEqual([1, 2, 3]);
    expect(outputs.x.dims).toEqual([3]);
    expect(feeds.x.data.byteLength).toBe(0);
  });

  test('copies instead of moving a feed that views part of a larger buffer', async () => {
    const host = await start();
    const shared = new Float32Array([9, 8, 7, 6]);
    const outputs = await host.run({ x: { type: 'float32', data: shared.subarray(1, 3), dims: [2] } });
    expect(floats(outputs.x)).toEqual([8, 7]);
    expect(Array.from(shared)).toEqual([9, 8, 7, 6]);
  });

  test('a crashing thread rejects every pending call, and the next call starts a new thread', async () => {
    const { lines, log } = recordingLog();
    const host = await start({ log });
    const held = host.run(tensor('hold', [1]));
    const crashing = host.run(tensor('crash', [1]));
    await Promise.all([
      expect(crashing).rejects.toThrow(new SessionThreadError('fake: session thread crashed (exit code 1: boom)')),
      expect(held).rejects.toThrow(SessionThreadError),
    ]);
    expect(floats((await host.run(tensor('x', [5]))).x)).toEqual([5]);
    expect(lines.map((line) => line.message)).toContain('session thread died, starting a new one');
  });

  test('a thread that exits names its exit code', async () => {
    const host = await start();
    await expect(host.run(tensor('exit', [1]))).rejects.toThrow('fake: session thread crashed (exit code 7)');
    expect(floats((await host.run(tensor('x', [6]))).x)).toEqual([6]);
  });

  test('a session that cannot be created fails start with the reason', async () => {
    await expect(start({ modelPath: 'init-fails' })).rejects.toThrow('fake: could not create the ONNX session: no such model');
  });

  test('calls after close fail clearly', async () => {
    const host = await start();
    await host.close();
    await expect(host.run(tensor('x', [1]))).rejects.toThrow('fake: session is closed');
  });

  test('real thread: a bad feed rejects that call only, with onnxruntime\'s reason', async () => {
    const size = 3 * 416 * 416;
    const images = (): WireTensors => ({ images: { type: 'float32', data: new Float32Array(size), dims: [1, 3, 416, 416] } });
    const host = await start({
      name: 'yolox-nano',
      modelPath: path.join(SHARED_MODELS, 'yolox-nano', 'yolox_nano.onnx'),
      threadEntry: undefined,
      warmupFeeds: images,
    });
    expect(host.inputNames).toEqual(['images']);
    expect(host.outputNames).toEqual(['output']);
    const wrong = { images: { type: 'float32' as const, data: new Float32Array(12), dims: [1, 3, 2, 2] } };
    await expect(host.run(wrong)).rejects.toThrow(/^yolox-nano: inference failed: /);
    const outputs = await host.run(images());
    expect(outputs.output.dims).toEqual([1, 3549, 85]);
    expect(outputs.output.type).toBe('float32');
  });

  test('a model file that does not exist fails start clearly', async () => {
    await expect(
      start({ name: 'ghost', modelPath: '/nonexistent/model.onnx', threadEntry: undefined }),
    ).rejects.toThrow(/^ghost: could not create the ONNX session: /);
  });
});
