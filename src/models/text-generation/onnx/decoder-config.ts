import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { ModelKind } from '../../registry/model-manifest';

const idOrIds = z.union([z.number().int(), z.array(z.number().int())]);

/** The fields of a HuggingFace config.json that the decoding loop needs. */
const configSchema = z.object({
  num_hidden_layers: z.number().int().positive(),
  num_attention_heads: z.number().int().positive(),
  num_key_value_heads: z.number().int().positive().optional(),
  hidden_size: z.number().int().positive(),
  head_dim: z.number().int().positive().optional(),
  max_position_embeddings: z.number().int().positive().optional(),
  eos_token_id: idOrIds.optional(),
});

const generationConfigSchema = z.object({ eos_token_id: idOrIds.optional() }).passthrough();

/** Optional `offload-model.json` beside the model: how results name it. */
const identitySchema = z.object({ id: z.string().min(1).optional(), kind: z.enum(['real', 'test-graph']).optional() });

export interface DecoderConfig {
  layers: number;
  kvHeads: number;
  headDim: number;
  /** Longest sequence (prompt + generated) the model takes. */
  maxPositions: number;
  eosTokenIds: number[];
  id: string;
  kind: ModelKind;
}

export const DEFAULT_MAX_POSITIONS = 2048;

async function readJson<T>(file: string, schema: z.ZodType<T>): Promise<T | undefined> {
  if (!existsSync(file)) return undefined;
  const parsed = schema.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

const ids = (value: number | number[] | undefined): number[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Reads config.json (+ generation_config.json, offload-model.json) of a decoder-only ONNX export directory. */
export async function readDecoderConfig(dir: string): Promise<DecoderConfig> {
  const config = await readJson(path.join(dir, 'config.json'), configSchema);
  if (!config) throw new Error(`${dir} has no config.json (the model's HuggingFace config: layers, heads, sizes)`);
  const generation = await readJson(path.join(dir, 'generation_config.json'), generationConfigSchema);
  const identity = (await readJson(path.join(dir, 'offload-model.json'), identitySchema)) ?? {};
  return {
    layers: config.num_hidden_layers,
    kvHeads: config.num_key_value_heads ?? config.num_attention_heads,
    headDim: config.head_dim ?? config.hidden_size / config.num_attention_heads,
    maxPositions: config.max_position_embeddings ?? DEFAULT_MAX_POSITIONS,
    eosTokenIds: [...new Set([...ids(generation?.eos_token_id), ...ids(config.eos_token_id)])],
    id: identity.id ?? path.basename(path.resolve(dir)),
    kind: identity.kind ?? 'real',
  };
}
