import type { GeneratePayload } from '../../shared/task';
import type { TextGenerator } from '../registry/model-capabilities';
import { LanguageNotSupportedError } from '../registry/model-errors';
import { languageCode, speaks } from '../registry/model-languages';

/** Fails fast (before any token) when the request's `language` is not one the generator's model answers in. */
export function checkTextLanguage(generator: Pick<TextGenerator, 'languages' | 'model'>, request: Pick<GeneratePayload, 'language'>): void {
  const language = request.language?.trim();
  if (!language || speaks({ taskTypes: generator.model.taskTypes, languages: generator.languages }, language)) return;
  throw new LanguageNotSupportedError(languageCode(language), generator.model.id, generator.languages === 'multilingual' ? [] : (generator.languages ?? []));
}
