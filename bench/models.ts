import { loadavg } from 'node:os';
import { loadConfig, type OffloadConfig } from '../src/config/load-config';
import { seedModels } from '../src/models/install/seed-models';
import { round, type ModelBenchPart } from './model-bench';
import { benchPiper } from './models-piper';
import { benchSileroVad } from './models-silero-vad';
import { benchWhisper } from './models-whisper';
import { benchPpocr } from './models-ppocr';
import { benchMiniLmIntent } from './models-minilm-intent';
import { benchSmolLm2 } from './models-smollm2';
import { benchOnnxDecoder } from './models-onnx-decoder';
import { writeResult } from './write-result';
import { flag } from './bench-args';

/** One line per family. */
const PARTS: ModelBenchPart[] = [benchPiper, benchSileroVad, benchWhisper, benchPpocr, benchMiniLmIntent, benchSmolLm2, benchOnnxDecoder];

/**
 * `npm run bench -- models [part...] [--runs N] [--quick]`: per model, bare onnxruntime time on this
 * thread vs the same work through the model runtime (session thread) and the activity, and the
 * real-time factor of speech models; written to bench/results/<date>-models.json.
 */
export async function benchModels(args: string[]): Promise<void> {
  const runs = Number(flag(args, '--runs') ?? (args.includes('--quick') ? 3 : 10));
  const chosen = args.filter((arg, i) => !arg.startsWith('--') && args[i - 1] !== '--runs');
  const unknown = chosen.filter((name) => !PARTS.some((part) => part.name === name));
  if (unknown.length > 0) throw new Error(`unknown model bench part ${unknown.join(', ')}; known: ${PARTS.map((p) => p.name).join(', ')}`);
  const config = loadConfig(process.env);
  const { modelDir } = config;
  const loadAtStart = loadavg().map((value) => round(value, 2));
  const figures: Record<string, number | string> = { runs };
  for (const part of PARTS.filter((p) => chosen.length === 0 || chosen.includes(p.name))) {
    const missing = await install(config, part);
    if (missing) {
      figures[`${part.name}_skipped`] = `not installed: ${missing}`;
      continue;
    }
    console.log(`-- ${part.name}`);
    const partFigures = await part.run({ modelDir, runs, log: (line) => console.log(`   ${line}`) });
    for (const [key, value] of Object.entries(partFigures)) figures[`${part.name}_${key}`] = value;
  }
  writeResult('models', figures, {
    load_average_at_start: loadAtStart,
    method:
      'median of `runs` after one warm-up; bare = onnxruntime-node session.run on the bench thread (intraOpNumThreads 1); ' +
      'runtime = createModelRuntime (session worker thread, pre/post-processing); activity = the inference activity in MockActivityEnvironment; ' +
      'ratio = runtime or activity time / bare time; real_time_factor = processing time / audio duration',
  });
}

/** Installs the part's models like `npm run setup`; says what is missing, or undefined when all are there. */
async function install(config: OffloadConfig, part: ModelBenchPart): Promise<string | undefined> {
  try {
    const report = await seedModels({ modelDir: config.modelDir, sourceDirs: config.modelSources, packageCacheDir: config.cacheDir, manifests: part.manifests });
    return report.missing.length > 0 ? report.missing.join(', ') : undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

