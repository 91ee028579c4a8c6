import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createModelRuntime, type ModelRuntime } from '../../../../src/models';
import { importedVoices, IMPORTED_MANIFEST_FILE } from '../../../../src/models/install/imported-voices';
import { ESPEAK_NG_PL } from '../../../../src/models/registry/espeak-ng-pl';
import { PIPER_EN_US_JOE_MEDIUM } from '../../../../src/models/registry/piper-en-us-joe-medium';
import { removeTempDirs, tempDir } from '../../../harness/model-test-env';
import { runCli } from '../../../harness/run-cli';
import { installedModelDir, modelDirWith } from '../../../harness/speech-test-env';

/**
 * No Polish Piper voice ships in a registry, so this test makes one the way a user would get one
 * (a `<voice>.onnx` and its `<voice>.onnx.json`): the real en_US-joe-medium network, its config
 * relabelled Polish (language pl_PL, espeak-ng voice `pl`). It speaks Polish phonemes with joe's
 * voice; what is tested is the import and the choice of voice, not the accent.
 */
async function relabelledPolishVoice(): Promise<string> {
  const source = path.join(installedModelDir(), PIPER_EN_US_JOE_MEDIUM.id);
  const dir = await tempDir('pl-voice');
  const config = JSON.parse(await readFile(path.join(source, 'en_US-joe-medium.onnx.json'), 'utf8')) as Record<string, unknown>;
  const polish = { ...config, dataset: 'test', language: { code: 'pl_PL', family: 'pl', region: 'PL' }, espeak: { voice: 'pl' } };
  await writeFile(path.join(dir, 'pl_PL-test-medium.onnx.json'), JSON.stringify(polish));
  await writeFile(path.join(dir, 'pl_PL-test-medium.onnx'), await readFile(path.join(source, 'en_US-joe-medium.onnx')));
  return dir;
}

let modelDir: string;
let runtime: ModelRuntime | undefined;
const cliEnv = (): NodeJS.ProcessEnv => ({ ...process.env, OFFLOAD_MODEL_DIR: modelDir });

beforeAll(async () => {
  modelDir = await modelDirWith([PIPER_EN_US_JOE_MEDIUM, ESPEAK_NG_PL]);
});

afterAll(async () => {
  await runtime?.close();
  await removeTempDirs();
});

describe('a Piper pl_PL voice imported with `offload models import`', () => {
  test('is copied, checked and recorded; `models list` and `models verify` know it', async () => {
    const imported = await runCli(['models', 'import', 'piper-pl_PL-test-medium', await relabelledPolishVoice()], cliEnv());
    expect(imported).toMatchObject({ code: 0 });
    expect(imported.stdout).toContain(`piper-pl_PL-test-medium: copied into ${path.join(modelDir, 'piper-pl_PL-test-medium')}`);
    const [voice] = await importedVoices(modelDir);
    expect(voice).toMatchObject({ id: 'piper-pl_PL-test-medium', family: 'piper', taskTypes: ['voice.tts'] });
    expect(voice.files.map((f) => f.name)).toEqual(['pl_PL-test-medium.onnx', 'pl_PL-test-medium.onnx.json']);
    expect(await readFile(path.join(modelDir, voice.id, IMPORTED_MANIFEST_FILE), 'utf8')).toContain(voice.files[0].sha256);

    const listed = JSON.parse((await runCli(['models', 'list', '--json'], cliEnv())).stdout) as { models: { id: string; state: string }[] };
    expect(listed.models.map((m) => m.id).slice(-2)).toEqual(['piper-pl_PL-test-medium', 'espeak-ng-pl']);
    expect(listed.models.find((m) => m.id === voice.id)?.state).toBe('installed');
    expect(await runCli(['models', 'verify', voice.id], cliEnv())).toMatchObject({ code: 0 });
  });

  test('speaks Polish in espeak-ng\'s place: the robot\'s "pl_PL-gosia-medium" and language pl go to it, espeak-ng only by its own name', async () => {
    runtime = await createModelRuntime({ modelDir, hardware: 'cpu', executionProvider: 'cpu' });
    expect(runtime.installed().map((m) => m.id)).toEqual(['piper-en_US-joe-medium', 'piper-pl_PL-test-medium', 'espeak-ng-pl']);
    const modelOf = async (voice?: string, language?: string) => (await runtime!.synthesize('Zatrzymuję się.', { voice, language })).model.id;
    expect(await modelOf('pl_PL-gosia-medium')).toBe('piper-pl_PL-test-medium');
    expect(await modelOf(undefined, 'pl')).toBe('piper-pl_PL-test-medium');
    expect(await modelOf('pl_PL-test-medium')).toBe('piper-pl_PL-test-medium');
    expect(await modelOf('espeak-ng-pl')).toBe('espeak-ng-pl');
    expect(await modelOf()).toBe('piper-en_US-joe-medium');
    const { result } = await runtime.synthesize('Zatrzymuję się.', { voice: 'pl_PL-gosia-medium' });
    expect(result).toMatchObject({ format: 'wav', sample_rate: 22_050 });
    expect(result.duration_ms).toBeGreaterThan(400);
  });

  test('an id that is not a Piper voice name, or a directory without its files, is refused', async () => {
    const bad = await runCli(['models', 'import', 'my-voice', modelDir], cliEnv());
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/unknown model "my-voice".*import a Piper voice as piper-<lang>_<REGION>-<name>-<quality>/);
    const missing = await runCli(['models', 'import', 'piper-pl_PL-darkman-medium', await tempDir('empty-voice')], cliEnv());
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/no pl_PL-darkman-medium\.onnx, pl_PL-darkman-medium\.onnx\.json for the Piper voice pl_PL-darkman-medium/);
  });
});
