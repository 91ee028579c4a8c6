import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { MODEL_MANIFESTS } from '../registry/manifests';
import type { ModelFileSpec, ModelManifest } from '../registry/model-manifest';
import { importModel } from './import-model';
import type { InstallOptions, InstallReport } from './install-report';
import { sha256File } from './model-files';

/**
 * Piper voices a user imports (`offload models import piper-pl_PL-gosia-medium <dir>`): no registry
 * ships them, so their manifest is made from the files at import (sha256 and size) and kept beside
 * them as `offload-manifest.json`, which the runtime, `models list` and `models verify` read back.
 */
const IMPORTED_VOICE_ID = /^piper-([a-z]{2}_[A-Z]{2}-[A-Za-z0-9_]+-(?:x_low|low|medium|high))$/;
export const IMPORTED_MANIFEST_FILE = 'offload-manifest.json';

/** The Piper voice name an id of an importable voice names (`piper-pl_PL-gosia-medium` → `pl_PL-gosia-medium`), else undefined. */
export function importableVoiceName(id: string): string | undefined {
  if (MODEL_MANIFESTS.some((manifest) => manifest.id === id)) return undefined;
  return IMPORTED_VOICE_ID.exec(id)?.[1];
}

function voiceManifest(id: string, files: ModelFileSpec[]): ModelManifest {
  return {
    id,
    family: 'piper',
    kind: 'real',
    taskTypes: ['voice.tts'],
    files,
    source: { repository: 'imported with offload models import', commit: '', url: '' },
    license: 'NOASSERTION',
    preferredHardware: 'cpu',
  };
}

async function fileSpec(file: string): Promise<ModelFileSpec> {
  return { name: path.basename(file), sha256: await sha256File(file), bytes: (await stat(file)).size };
}

/** The manifest of a Piper voice about to be imported from `paths` (directories or files): its `<voice>.onnx` and `<voice>.onnx.json`. */
export async function describeImportedVoice(id: string, paths: readonly string[]): Promise<ModelManifest> {
  const voice = importableVoiceName(id);
  if (!voice) throw new Error(`${id} is not a Piper voice id (piper-<lang>_<REGION>-<name>-<quality>, e.g. piper-pl_PL-gosia-medium)`);
  const wanted = [`${voice}.onnx`, `${voice}.onnx.json`];
  const found = new Map<string, string>();
  for (const given of paths) {
    const full = path.resolve(given);
    const entries = (await stat(full)).isDirectory() ? (await readdir(full)).map((name) => path.join(full, name)) : [full];
    for (const entry of entries) if (wanted.includes(path.basename(entry))) found.set(path.basename(entry), entry);
  }
  const missing = wanted.filter((name) => !found.has(name));
  if (missing.length > 0) throw new Error(`${paths.join(', ')}: no ${missing.join(', ')} for the Piper voice ${voice}`);
  return voiceManifest(id, await Promise.all(wanted.map((name) => fileSpec(found.get(name) as string))));
}

/** Writes the imported voice's manifest beside its files (after they are in place). */
export async function recordImportedVoice(dir: string, manifest: ModelManifest): Promise<void> {
  await writeFile(path.join(dir, IMPORTED_MANIFEST_FILE), `${JSON.stringify({ id: manifest.id, files: manifest.files }, null, 2)}\n`);
}

const recordSchema = z.object({
  id: z.string(),
  files: z.array(z.object({ name: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().nonnegative() })).length(2),
});

/** Every imported Piper voice in `modelDir` (a directory named for one, holding its offload-manifest.json), by id. */
export async function importedVoices(modelDir: string): Promise<ModelManifest[]> {
  const entries = await readdir(modelDir).catch(() => [] as string[]);
  const manifests: ModelManifest[] = [];
  for (const id of entries.filter((entry) => importableVoiceName(entry)).sort()) {
    const text = await readFile(path.join(modelDir, id, IMPORTED_MANIFEST_FILE), 'utf8').catch(() => undefined);
    const parsed = text === undefined ? undefined : recordSchema.safeParse(JSON.parse(text));
    if (parsed?.success && parsed.data.id === id) manifests.push(voiceManifest(id, parsed.data.files));
  }
  return manifests;
}

/**
 * The known models and the imported voices of `modelDir`, in the order the runtime looks for one:
 * imported voices just before espeak-ng, so a Piper `pl_PL-*` voice speaks Polish in its place.
 */
export async function manifestsIn(modelDir: string): Promise<ModelManifest[]> {
  const imported = await importedVoices(modelDir);
  const firstEspeak = MODEL_MANIFESTS.findIndex((manifest) => manifest.family === 'espeak-ng');
  const at = firstEspeak < 0 ? MODEL_MANIFESTS.length : firstEspeak;
  return [...MODEL_MANIFESTS.slice(0, at), ...imported, ...MODEL_MANIFESTS.slice(at)];
}

/** `offload models import piper-<voice> <paths…>`: copies the voice's two files, checked, and records its manifest beside them. */
export async function importPiperVoice(id: string, modelDir: string, paths: readonly string[], options: InstallOptions): Promise<InstallReport> {
  const manifest = await describeImportedVoice(id, paths);
  const report = await importModel(manifest, modelDir, paths, options);
  await recordImportedVoice(report.dir, manifest);
  return report;
}
