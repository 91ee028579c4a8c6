import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { OffloadConfig } from '../../config/load-config';
import { findManifest, MODEL_MANIFESTS } from '../../models/registry/manifests';
import type { ModelManifest } from '../../models/registry/model-manifest';
import { importModel } from '../../models/install/import-model';
import { importableVoiceName, importPiperVoice, manifestsIn } from '../../models/install/imported-voices';
import { pullModel } from '../../models/install/pull-model';
import { listModels, verifyModel, type ModelVerification } from '../../models/install/model-status';
import { EXIT_TASK_FAILED } from '../cli-support';

interface DirOptions {
  modelDir?: string;
}

/** `--model-dir`, else the config's (OFFLOAD_MODEL_DIR, else `<repo>/models`, as `npm run setup`). */
function modelDirOf(opts: DirOptions, config: Pick<OffloadConfig, 'modelDir'>): string {
  return opts.modelDir ? path.resolve(opts.modelDir) : config.modelDir;
}

function manifestOf(id: string, known: readonly ModelManifest[] = MODEL_MANIFESTS): ModelManifest {
  const manifest = known.find((m) => m.id === id) ?? findManifest(id);
  if (!manifest) {
    throw new InvalidArgumentError(`unknown model "${id}"; known: ${known.map((m) => m.id).join(', ')} (or import a Piper voice as piper-<lang>_<REGION>-<name>-<quality>)`);
  }
  return manifest;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function printVerification(v: ModelVerification): void {
  console.log(`${v.id}: ${v.state}`);
  if (v.state === 'not-installed') return;
  for (const file of v.files) {
    if (file.status === 'mismatch') {
      console.log(`  ${file.file}: sha256 ${file.actual} (${file.actualBytes} bytes), expected ${file.expected} (${file.expectedBytes} bytes)`);
    } else console.log(`  ${file.file}: ${file.status}`);
  }
}

/** `offload models list | verify | pull | import`: the model directory, no Temporal server needed. */
export function registerModelsCommand(program: Command, config: OffloadConfig): void {
  const models = program.command('models').description('known models: installed or not, checksums, download, import');
  const withDir = (command: Command): Command => command.option('--model-dir <dir>', 'model directory (default: OFFLOAD_MODEL_DIR or <repo>/models)');

  withDir(models.command('list'))
    .description('every known model with its state, kind, task types, source package and size')
    .option('--json', 'print JSON')
    .action(async (opts: DirOptions & { json?: boolean }) => {
      const modelDir = modelDirOf(opts, config);
      const rows = await listModels(modelDir, await manifestsIn(modelDir));
      if (opts.json) {
        console.log(JSON.stringify({ modelDir, models: rows }, null, 2));
        return;
      }
      console.log(`model dir: ${modelDir}`);
      for (const row of rows) {
        const tasks = row.taskTypes.length ? row.taskTypes.join(',') : '(helper)';
        const missing = row.state === 'partial' ? ` missing ${row.missing.join(', ')}` : '';
        console.log(`${row.id.padEnd(24)} ${row.state.padEnd(9)} ${row.kind.padEnd(10)} ${tasks.padEnd(30)} ${row.source.padEnd(34)} ${megabytes(row.bytes)}${missing}`);
      }
    });

  withDir(models.command('verify'))
    .description('check the sha256 of installed model files (all installed models, or the ones named); exit 1 on a mismatch')
    .argument('[ids...]')
    .option('--json', 'print JSON')
    .action(async (ids: string[], opts: DirOptions & { json?: boolean }) => {
      const modelDir = modelDirOf(opts, config);
      const known = await manifestsIn(modelDir);
      const manifests = ids.length ? ids.map((id) => manifestOf(id, known)) : known;
      const results = await Promise.all(manifests.map((manifest) => verifyModel(modelDir, manifest)));
      if (opts.json) console.log(JSON.stringify({ modelDir, models: results }, null, 2));
      else results.forEach(printVerification);
      const named = new Set(ids);
      const failed = results.some((r) => r.state === 'broken' || (named.has(r.id) && r.state === 'not-installed'));
      if (failed) process.exitCode = EXIT_TASK_FAILED;
    });

  withDir(models.command('pull'))
    .description("download a model from its public URLs, checking every file's sha256 (needs internet)")
    .argument('<id>')
    .action(async (id: string, opts: DirOptions) => {
      const manifest = manifestOf(id);
      let shown = 0;
      const report = await pullModel(manifest, modelDirOf(opts, config), {
        cacheDir: config.cacheDir,
        onProgress: (received, total) => {
          const percent = Math.floor((received / total) * 10) * 10;
          if (percent !== shown && process.stderr.isTTY) process.stderr.write(`\r${id}: ${percent}%`);
          shown = percent;
        },
      });
      if (process.stderr.isTTY && shown) process.stderr.write('\n');
      console.log(`${report.id}: ${report.how} in ${report.dir}`);
    });

  withDir(models.command('import'))
    .description("copy a model's files (a directory or files) into the model dir, checking every sha256; piper-<voice> imports any Piper voice (<voice>.onnx, <voice>.onnx.json)")
    .argument('<id>')
    .argument('<paths...>')
    .action(async (id: string, paths: string[], opts: DirOptions) => {
      const modelDir = modelDirOf(opts, config);
      const options = { cacheDir: config.cacheDir };
      const report = importableVoiceName(id) ? await importPiperVoice(id, modelDir, paths, options) : await importModel(manifestOf(id), modelDir, paths, options);
      console.log(`${report.id}: ${report.how} into ${report.dir}`);
    });
}
