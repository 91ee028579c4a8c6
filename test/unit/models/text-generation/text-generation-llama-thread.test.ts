import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ModelInputError, SessionThreadError } from '../../../../src/models';
import { SMOLLM2_135M } from '../../../../src/models/registry/smollm2-135m';
import { LlamaTextGenerator } from '../../../../src/models/text-generation/llama/llama-text-generator';
import { recordingLog, removeTempDirs, tempDir } from '../../../harness/model-test-env';

/**
 * Stands in for llama-thread.js: echoes the prompt in two pieces; "crash" throws (killing the
 * thread), "too long" is bad input, "hold" never answers; `close` exits as the real thread does.
 */
const FAKE_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
parentPort.postMessage({ kind: 'ready', gpu: false, contextSize: workerData.contextSize, fallbackReason: workerData.gpu ? 'no CUDA here' : undefined });
parentPort.on('message', (message) => {
  if (message.kind === 'close') process.exit(0);
  if (message.kind === 'abort') return parentPort.postMessage({ kind: 'failed', id: message.id, message: 'aborted', badInput: false, aborted: true });
  const prompt = message.params.messages[message.params.messages.length - 1].content;
  if (prompt === 'crash') throw new Error('llama exploded');
  if (prompt === 'too long') return parentPort.postMessage({ kind: 'failed', id: message.id, message: 'the prompt does not fit', badInput: true, aborted: false });
  if (prompt === 'hold') return;
  parentPort.postMessage({ kind: 'text', id: message.id, text: 'echo: ' });
  parentPort.postMessage({ kind: 'text', id: message.id, text: prompt });
  parentPort.postMessage({ kind: 'done', id: message.id, text: 'echo: ' + prompt, promptTokens: 3, completionTokens: 2, stopReason: 'eogToken', firstTokenMs: 1, generateMs: 2 });
});
`;

let threadEntry: string;

beforeAll(async () => {
  threadEntry = path.join(await tempDir('fake-llama'), 'fake-llama-thread.js');
  await writeFile(threadEntry, FAKE_THREAD);
});

afterAll(removeTempDirs);

const load = (log = recordingLog().log) =>
  LlamaTextGenerator.load({ manifest: SMOLLM2_135M, dir: '/nonexistent', executionProvider: 'cuda', threadEntry, log });

describe('the llama.cpp thread connection', () => {
  test('streams pieces, counts tokens, and says when CUDA is not there', async () => {
    const { lines, log } = recordingLog();
    const generator = await load(log);
    try {
      const pieces: string[] = [];
      const output = await generator.generate({ prompt: 'hi' }, { onToken: (piece) => pieces.push(piece) });
      expect(pieces).toEqual(['echo: ', 'hi']);
      expect(output.result).toEqual({ text: 'echo: hi', tokens_used: 5, from_cache: false });
      expect(generator.executionProvider).toBe('cpu');
      expect(lines).toContainEqual({ message: 'llama.cpp CUDA unavailable, using the CPU', fields: { model: SMOLLM2_135M.id, reason: 'no CUDA here' } });
    } finally {
      await generator.close();
    }
  });

  test('a crashed thread fails its call; the next call starts a new thread', async () => {
    const { lines, log } = recordingLog();
    const generator = await load(log);
    try {
      await expect(generator.generate({ prompt: 'crash' })).rejects.toThrow(SessionThreadError);
      await expect(generator.generate({ prompt: 'crash' })).rejects.toThrow(/llama.cpp thread crashed .*llama exploded/);
      expect((await generator.generate({ prompt: 'again' })).result.text).toBe('echo: again');
      expect(lines.map((l) => l.message)).toContain('llama.cpp thread died, starting a new one');
    } finally {
      await generator.close();
    }
  });

  test('bad input from the thread is ModelInputError; an abort reaches the thread and fails the call', async () => {
    const generator = await load();
    try {
      await expect(generator.generate({ prompt: 'too long' })).rejects.toThrow(new ModelInputError('the prompt does not fit'));
      const controller = new AbortController();
      const held = generator.generate({ prompt: 'hold' }, { signal: controller.signal });
      controller.abort();
      await expect(held).rejects.toThrow(/generation cancelled/);
      await expect(generator.generate({ prompt: 'x' }, { signal: AbortSignal.abort() })).rejects.toThrow(/generation cancelled/);
    } finally {
      await generator.close();
    }
  });

  test('close ends the thread; later calls say the model is closed', async () => {
    const generator = await load();
    await generator.close();
    await expect(generator.generate({ prompt: 'hi' })).rejects.toThrow(/model is closed/);
  });
});
