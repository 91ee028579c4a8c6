import { readFile } from 'node:fs/promises';

/** The fields of a Hugging Face Whisper config.json the ONNX runtime path needs. */
export interface WhisperConfig {
  d_model: number;
  decoder_attention_heads: number;
  decoder_layers: number;
  encoder_attention_heads: number;
  encoder_layers: number;
  num_mel_bins: number;
  vocab_size: number;
  /** Encoder frames (1500 for 30 s). */
  max_source_positions: number;
  /** Decoder context (448 tokens). */
  max_target_positions: number;
  /** Tokens never generated (Whisper's non-speech symbols); older Hugging Face config.json files carry them. */
  suppress_tokens?: number[];
  /** Tokens not allowed first (the space and `<|endoftext|>`). */
  begin_suppress_tokens?: number[];
  /**
   * Set by this project's exporter: the decoder broadcasts a one-row cross-attention cache over all
   * beams, so beams share it instead of each carrying a copy (other exports need one row per beam).
   */
  cross_attention_cache_broadcasts?: boolean;
  /**
   * Set by this project's exporter: the encoder takes fewer than 3000 mel frames (its position
   * encodings cut to fit), so short speech is encoded in a window shorter than 30 s.
   */
  short_windows?: boolean;
}

const FIELDS: (keyof WhisperConfig)[] = [
  'd_model',
  'decoder_attention_heads',
  'decoder_layers',
  'encoder_attention_heads',
  'encoder_layers',
  'num_mel_bins',
  'vocab_size',
  'max_source_positions',
  'max_target_positions',
];

export function parseWhisperConfig(json: unknown, source = 'config.json'): WhisperConfig {
  const record = (json ?? {}) as Record<string, unknown>;
  for (const field of FIELDS) {
    const value = record[field];
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) throw new Error(`${source}: ${field} must be a positive integer, got ${String(value)}`);
  }
  const config = Object.fromEntries(FIELDS.map((field) => [field, record[field]])) as unknown as WhisperConfig;
  for (const field of ['suppress_tokens', 'begin_suppress_tokens'] as const) {
    const value = record[field];
    if (value === undefined || value === null) continue;
    if (!Array.isArray(value) || !value.every((id) => Number.isInteger(id) && id >= 0)) throw new Error(`${source}: ${field} must be a list of token ids`);
    config[field] = value as number[];
  }
  if (record.cross_attention_cache_broadcasts === true) config.cross_attention_cache_broadcasts = true;
  if (record.short_windows === true) config.short_windows = true;
  return config;
}

export async function readWhisperConfig(file: string): Promise<WhisperConfig> {
  return parseWhisperConfig(JSON.parse(await readFile(file, 'utf8')), file);
}

/**
 * Whisper's rule (openai/whisper model.py): a vocabulary of 51865 tokens or more is multilingual;
 * English-only models (`*.en`, 51864) are prompted without language and task tokens.
 */
export function isMultilingual(config: WhisperConfig): boolean {
  return config.vocab_size >= 51865;
}
