import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createModelRuntime, type ModelRuntime } from '../../src/models';
import { decodeAudio } from '../../src/models/audio';
import { SILERO_VAD } from '../../src/models/registry/silero-vad';
import type { ModelManifest } from '../../src/models/registry/model-manifest';
import { seedModels } from '../../src/models/install/seed-models';
import { VAD_SAMPLE_RATE, VoiceActivityDetector } from '../../src/models/voice-activity-detection/voice-activity-detector';
import { REPO_ROOT, tempDir } from './model-test-env';

export const FIXTURE_AUDIO = path.resolve(REPO_ROOT, '../shared/fixtures/audio');

/** The model dir jest's global setup installed every model into (from registry packages). */
export function installedModelDir(): string {
  const dir = process.env.OFFLOAD_TEST_MODEL_DIR;
  if (!dir) throw new Error('OFFLOAD_TEST_MODEL_DIR is not set: run the tests through jest');
  return dir;
}

/** A fresh model dir holding only `manifests`, copied from the installed models. */
export async function modelDirWith(manifests: ModelManifest[]): Promise<string> {
  const modelDir = await tempDir('speech-models');
  const report = await seedModels({ modelDir, sourceDirs: [installedModelDir()], manifests });
  if (report.missing.length > 0) throw new Error(`not installed by the global setup: ${report.missing.join(', ')}`);
  return modelDir;
}

/** A fixture WAV (or raw PCM at 16 kHz) as mono samples at the VAD's rate. */
export async function fixtureSamples(name: string): Promise<Float32Array> {
  const data = await readFile(path.join(FIXTURE_AUDIO, name));
  const format = name.endsWith('.pcm') ? 'pcm_s16le' : 'wav';
  return decodeAudio({ data, format, sampleRate: format === 'pcm_s16le' ? 16_000 : undefined }, VAD_SAMPLE_RATE).samples;
}

export function seconds(count: number, value: (i: number) => number = () => 0): Float32Array {
  return Float32Array.from({ length: Math.round(count * VAD_SAMPLE_RATE) }, (_, i) => value(i));
}

/** A model runtime over a fresh model dir holding the VAD and `manifests`, and the VAD itself to listen to what it says. */
export async function speechRuntimeWith(manifests: ModelManifest[]): Promise<{ runtime: ModelRuntime; vad: VoiceActivityDetector }> {
  const modelDir = await modelDirWith([SILERO_VAD, ...manifests]);
  const runtime = await createModelRuntime({ modelDir, hardware: 'cpu', executionProvider: 'cpu' });
  return { runtime, vad: await VoiceActivityDetector.load(`${modelDir}/${SILERO_VAD.id}`) };
}
