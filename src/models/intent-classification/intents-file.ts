import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { findRepoRoot } from '../model-dirs';

const intentSchema = z.object({
  /** Utterances that mean this intent; the classifier compares new text against them. */
  examples: z.array(z.string().trim().min(1, 'must not be empty')).min(1, 'needs at least one example'),
  /** Entity name -> regular expression (case-insensitive) whose named group of the same name is the entity's value. */
  entities: z.record(z.string()).default({}),
  /**
   * Regular expressions that decide the intent before any embedding is compared (keyword-rules.ts):
   * whole words, case and diacritics ignored; the first intent in the file with a match wins.
   */
  keywords: z.array(z.string().trim().min(1, 'must not be empty')).default([]),
  /**
   * Only the keyword rules decide this intent; its examples are not searched. For moves in a
   * language the embedding model does not know (Polish): a misheard sentence must not send the
   * robot anywhere because it looks a little like "cofnij się".
   */
  keywordsOnly: z.boolean().default(false),
});

const intentsFileSchema = z.object({
  /** Below this cosine similarity the answer is `unknown`. */
  threshold: z.number().min(-1).max(1),
  /** How many of an intent's most similar examples are averaged into its score (default 3). */
  neighbours: z.number().int().positive().default(3),
  intents: z.record(intentSchema).refine((intents) => Object.keys(intents).length > 0, 'must name at least one intent'),
});

export type IntentsConfig = z.infer<typeof intentsFileSchema>;

/** `config/intents.json` in the checkout. */
export function defaultIntentsFile(): string {
  return path.join(findRepoRoot(), 'config', 'intents.json');
}

/**
 * The intents file of every language beside `file` (`intents.json`, default `en`): `intents.<xx>.json`
 * in the same directory is language `xx` (`intents.pl.json` is Polish).
 */
export async function intentsFilesByLanguage(file: string): Promise<Map<string, string>> {
  const dir = path.dirname(file);
  const base = path.basename(file, '.json');
  const files = new Map([['en', file]]);
  const entries = await readdir(dir).catch(() => [] as string[]);
  for (const entry of entries.sort()) {
    const language = entry.startsWith(`${base}.`) ? /^\.([a-z]{2})\.json$/.exec(entry.slice(base.length))?.[1] : undefined;
    if (language && language !== 'en') files.set(language, path.join(dir, entry));
  }
  return files;
}

/** Reads and checks an intents file; a mistake is reported with the file and the field. */
export async function readIntentsFile(file: string): Promise<IntentsConfig> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`intents file ${file} could not be read: ${(error as Error).message}`);
  }
  return parseIntents(json, file);
}

export function parseIntents(json: unknown, source: string): IntentsConfig {
  const parsed = intentsFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`intents file ${source}: ${issue.path.join('.') || 'file'}: ${issue.message}`);
  }
  if (parsed.data.intents.unknown) throw new Error(`intents file ${source}: intents.unknown: "unknown" is the answer below the threshold, not an intent`);
  if (Object.values(parsed.data.intents).every((intent) => intent.keywordsOnly)) {
    throw new Error(`intents file ${source}: intents: at least one intent must be decided by its examples (not keywordsOnly)`);
  }
  for (const [intent, { entities, keywords, keywordsOnly }] of Object.entries(parsed.data.intents)) {
    if (keywordsOnly && keywords.length === 0) throw new Error(`intents file ${source}: intents.${intent}.keywordsOnly: the intent has no keywords`);
    for (const [i, keyword] of keywords.entries()) {
      try {
        new RegExp(keyword, 'u');
      } catch (error) {
        throw new Error(`intents file ${source}: intents.${intent}.keywords.${i}: ${(error as Error).message}`);
      }
    }
    for (const [name, pattern] of Object.entries(entities)) {
      let regex: RegExp;
      try {
        regex = new RegExp(pattern, 'iu');
      } catch (error) {
        throw new Error(`intents file ${source}: intents.${intent}.entities.${name}: ${(error as Error).message}`);
      }
      if (!new RegExp(`\\(\\?<${name}>`).test(regex.source)) {
        throw new Error(`intents file ${source}: intents.${intent}.entities.${name}: the pattern has no named group (?<${name}>...)`);
      }
    }
  }
  return parsed.data;
}
