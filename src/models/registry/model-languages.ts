import type { TaskType } from '../../shared/task-types';
import type { ModelManifest } from './model-manifest';

type LanguageModel = Pick<ModelManifest, 'taskTypes' | 'languages'>;

/** The language part of a language tag, lower case: `pl-PL`, `pl_PL` and `PL` are `pl`. */
export function languageCode(language: string): string {
  return language.toLowerCase().split(/[-_]/)[0];
}

/** Whether the model understands `language` (a model without `languages` is not bound to one). */
export function speaks(manifest: LanguageModel, language: string): boolean {
  const { languages } = manifest;
  return languages === undefined || languages === 'multilingual' || languages.includes(languageCode(language));
}

/**
 * The model that serves `taskType` in `language`: one made for that language (tiny.en for English:
 * faster) before a multilingual one, each in manifest order; without a language, the first. Undefined
 * when none of `manifests` speaks it.
 */
export function modelForLanguage<M extends LanguageModel>(manifests: readonly M[], taskType: TaskType, language?: string): M | undefined {
  const serving = manifests.filter((manifest) => manifest.taskTypes.includes(taskType));
  if (!language) return serving[0];
  const code = languageCode(language);
  const madeFor = serving.find((manifest) => typeof manifest.languages === 'object' && manifest.languages.includes(code));
  return madeFor ?? serving.find((manifest) => speaks(manifest, code));
}
