import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { floatVariable, intScalar, readCt2Model, type Ct2Model } from './ctranslate2-reader';
import type { WhisperConfig } from '../../speech-recognition/whisper-config';
import { buildDecoder, buildEncoder, type WhisperGraphOptions, type WhisperWeights } from './whisper-graphs';

/** The files a CTranslate2 Whisper model directory (faster-whisper's layout) must have for the conversion. */
export const CT2_WHISPER_INPUTS = ['model.bin', 'config.json', 'tokenizer.json'] as const;
/** What the conversion writes: the standard ONNX export layout. */
export const WHISPER_ONNX_FILES = ['encoder_model.onnx', 'decoder_model_merged.onnx', 'config.json', 'tokenizer.json'] as const;

/** Whisper weights of a CTranslate2 WhisperSpec model (as faster-whisper ships them). */
export function whisperWeightsFromCt2(model: Ct2Model): WhisperWeights {
  if (model.spec !== 'WhisperSpec') throw new Error(`CTranslate2 model is a ${model.spec}, not a WhisperSpec`);
  const layers = (side: 'encoder' | 'decoder'): number => {
    let count = 0;
    while (model.variables.has(`${side}/layer_${count}/ffn/linear_0/weight`)) count++;
    return count;
  };
  const flag = (name: string): number => intScalar(model, name);
  if (flag('decoder/scale_embeddings') !== 0 || flag('decoder/pre_norm') !== 1 || flag('decoder/alibi') !== 0) {
    throw new Error('CTranslate2 Whisper model has an unexpected decoder configuration (scale_embeddings/pre_norm/alibi)');
  }
  const GELU = 3;
  if (flag('decoder/activation') !== GELU) throw new Error(`CTranslate2 Whisper model uses activation ${flag('decoder/activation')}, expected GELU`);
  return {
    tensor: (name) => floatVariable(model, name),
    encoderLayers: layers('encoder'),
    decoderLayers: layers('decoder'),
    encoderHeads: flag('encoder/num_heads'),
    decoderHeads: flag('decoder/num_heads'),
  };
}

/**
 * Converts a CTranslate2 Whisper model directory (model.bin, config.json, tokenizer.json) into the standard ONNX
 * export layout in `targetDir`: encoder_model.onnx, decoder_model_merged.onnx, config.json (Hugging Face
 * field names, and `short_windows` when the graphs take them), tokenizer.json.
 */
export async function convertCt2Whisper(sourceDir: string, targetDir: string, options: WhisperGraphOptions = {}): Promise<void> {
  const model = readCt2Model(await readFile(path.join(sourceDir, 'model.bin')));
  const weights = whisperWeightsFromCt2(model);
  await writeFile(path.join(targetDir, 'encoder_model.onnx'), buildEncoder(weights, options));
  await writeFile(path.join(targetDir, 'decoder_model_merged.onnx'), buildDecoder(weights, options));
  const ct2Config = JSON.parse(await readFile(path.join(sourceDir, 'config.json'), 'utf8')) as { suppress_ids?: number[]; suppress_ids_begin?: number[] };
  const config: WhisperConfig = {
    ...whisperConfigOf(weights),
    suppress_tokens: ct2Config.suppress_ids ?? [],
    begin_suppress_tokens: ct2Config.suppress_ids_begin ?? [],
    cross_attention_cache_broadcasts: true,
    ...(options.shortWindows ? { short_windows: true } : {}),
  };
  await writeFile(path.join(targetDir, 'config.json'), `${JSON.stringify(config)}\n`);
  await copyFile(path.join(sourceDir, 'tokenizer.json'), path.join(targetDir, 'tokenizer.json'));
}

/** The Hugging Face config.json fields of these weights. */
export function whisperConfigOf(weights: WhisperWeights): WhisperConfig {
  const [vocab, dModel] = weights.tensor('decoder/embeddings/weight').dims;
  return {
    d_model: dModel,
    decoder_attention_heads: weights.decoderHeads,
    decoder_layers: weights.decoderLayers,
    encoder_attention_heads: weights.encoderHeads,
    encoder_layers: weights.encoderLayers,
    num_mel_bins: weights.tensor('encoder/conv1/weight').dims[1],
    vocab_size: vocab,
    max_source_positions: weights.tensor('encoder/position_encodings/encodings').dims[0],
    max_target_positions: weights.tensor('decoder/position_encodings/encodings').dims[0],
  };
}

if (require.main === module) {
  const [source, target, flag] = process.argv.slice(2);
  if (!source || !target || (flag !== undefined && flag !== '--short-windows')) {
    console.error('usage: node convert-ctranslate2.js <ctranslate2 model dir> <output dir> [--short-windows]');
    process.exitCode = 2;
  } else {
    convertCt2Whisper(source, target, { shortWindows: flag === '--short-windows' }).catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    });
  }
}
