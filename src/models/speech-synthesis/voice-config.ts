import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const voiceConfigSchema = z.object({
  audio: z.object({ sample_rate: z.number().int().min(8000).max(48000) }),
  espeak: z.object({ voice: z.string().min(1) }),
  inference: z.object({
    noise_scale: z.number().positive(),
    length_scale: z.number().positive(),
    noise_w: z.number().positive(),
  }),
  phoneme_type: z.literal('espeak'),
  /** Phoneme → phonemes it is replaced by before lookup (usually empty). */
  phoneme_map: z.record(z.array(z.string())).default({}),
  phoneme_id_map: z.record(z.array(z.number().int().nonnegative()).min(1)),
  num_speakers: z.number().int().positive(),
  language: z.object({ code: z.string() }).passthrough().optional(),
  dataset: z.string().optional(),
});

/** The `<voice>.onnx.json` Piper writes beside each voice. */
export type PiperVoiceConfig = z.infer<typeof voiceConfigSchema>;

/** Reads and checks a voice config; names the first field that is wrong. */
export async function readVoiceConfig(file: string): Promise<PiperVoiceConfig> {
  const parsed = voiceConfigSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  for (const symbol of ['_', '^', '$']) {
    if (!parsed.data.phoneme_id_map[symbol]) throw new Error(`${file}: phoneme_id_map has no "${symbol}"`);
  }
  return parsed.data;
}
