import { foldText, stripDiacritics } from './fold-text';
import type { IntentsConfig } from './intents-file';

interface Rule {
  intent: string;
  pattern: RegExp;
}

/**
 * The rule tier in front of the embedding search (like the robot's own NLU): each intent's
 * `keywords` (regular expressions, matched as whole words on folded text, diacritics optional), in
 * the file's order of intents: the first intent with a match wins, so commands that must win
 * (stop) come first.
 */
export class KeywordRules {
  private readonly rules: Rule[];

  constructor(intents: IntentsConfig['intents']) {
    this.rules = Object.entries(intents).flatMap(([intent, { keywords }]) =>
      keywords.map((keyword) => ({ intent, pattern: new RegExp(`(?:^|[^\\p{L}\\p{N}])(?:${stripDiacritics(keyword)})(?=$|[^\\p{L}\\p{N}])`, 'iu') })),
    );
  }

  get size(): number {
    return this.rules.length;
  }

  /** The intent of the first rule that matches `text`, if any. */
  match(text: string): string | undefined {
    const folded = foldText(text);
    return this.rules.find((rule) => rule.pattern.test(folded))?.intent;
  }
}
