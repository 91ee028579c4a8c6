import { appendFile, copyFile, mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { createModelRuntime, ModelNotInstalledError, type ModelRuntime } from '../../../../src/models';
import { modelGate } from '../../../harness/installed-models';
import { fixture, recordingLog, removeTempDirs, tempDir } from '../../../harness/model-test-env';

afterAll(removeTempDirs);

const tts = modelGate('voice.tts');
const nlu = modelGate('text.nlu');

/**
 * yolox-nano and the TTS voice linked from the test model dir, and a MiniLM whose tokenizer no
 * longer matches its checksum.
 */
async function modelDirWithABrokenModel(): Promise<string> {
  const source = process.env.OFFLOAD_TEST_MODEL_DIR as string;
  const modelDir = await tempDir('serve-while-loading');
  for (const id of ['yolox-nano', 'piper-en_US-joe-medium']) await symlink(path.join(source, id), path.join(modelDir, id));
  const broken = path.join(modelDir, 'all-minilm-l6-v2-q');
  await mkdir(broken);
  await symlink(path.join(source, 'all-minilm-l6-v2-q', 'all-minilm-l6-v2-q.onnx'), path.join(broken, 'all-minilm-l6-v2-q.onnx'));
  await copyFile(path.join(source, 'all-minilm-l6-v2-q', 'tokenizer.json'), path.join(broken, 'tokenizer.json'));
  await appendFile(path.join(broken, 'tokenizer.json'), '\n');
  return modelDir;
}

(tts.installed && nlu.installed ? test : test.skip)(
  `serveWhileLoading: ready before every model is warm, a call waits for its model, a broken model is logged and not served [${tts.reason}; ${nlu.reason}]`,
  async () => {
    const modelDir = await modelDirWithABrokenModel();
    await expect(createModelRuntime({ modelDir, hardware: 'cpu', executionProvider: 'cpu' })).rejects.toThrow('model file checksum mismatch');

    const { lines, log } = recordingLog();
    let runtime: ModelRuntime | undefined;
    try {
      runtime = await createModelRuntime({ modelDir, hardware: 'cpu', executionProvider: 'cpu', serveWhileLoading: true, log });
      const warmAtReturn = runtime.installed().map((m) => m.id);
      expect(warmAtReturn.length).toBeGreaterThanOrEqual(1);
      expect(runtime.serves('voice.tts')).toBe(true);
      const speech = await runtime.synthesize('Ready while loading.');
      expect(speech.result.duration_ms).toBeGreaterThan(300);
      expect((await runtime.detect(await fixture('dog_320x240.jpg'))).result.boxes.length).toBeGreaterThan(0);

      await runtime.allLoaded;
      console.log(`warm when the runtime returned: ${warmAtReturn.join(', ')}; after allLoaded: ${runtime.installed().map((m) => m.id).join(', ')}`);
      expect(runtime.installed().map((m) => m.id).sort()).toEqual(['piper-en_US-joe-medium', 'yolox-nano']);
      expect(runtime.serves('text.nlu')).toBe(false);
      await expect(runtime.understand('stop')).rejects.toThrow(ModelNotInstalledError);
      expect(lines).toContainEqual({
        message: 'model failed to load: its task types are not served',
        fields: { model: 'all-minilm-l6-v2-q', error: expect.stringContaining('model file checksum mismatch') },
      });
    } finally {
      await runtime?.close();
    }
  },
  120_000,
);
