/** What a speech task asks for: a voice by name (`pl_PL-gosia-medium`, `joe`, `pl`) and/or a language (`pl`, `en`). */
export interface VoiceRequest {
  voice?: string;
  language?: string;
}

/**
 * How well an installed voice serves a request, best first: `named` (the request names this very
 * voice), `language` (the request's language, or the language of the voice it names, is this
 * voice's), `default` (the request asks for nothing in particular), `none` (it cannot serve it).
 */
export type VoiceFit = 'named' | 'language' | 'default' | 'none';

const FIT_RANK: Record<VoiceFit, number> = { named: 3, language: 2, default: 1, none: 0 };

/** An installed voice: every name it answers to (lower case) and the language it speaks (`en`, `pl`). */
export interface SpokenVoice {
  names: ReadonlySet<string>;
  language: string;
  /** False for a voice that speaks only when asked for by name or language (espeak-ng's Polish). */
  servesDefault?: boolean;
}

/** The language a voice name or language tag starts with: `pl_PL-gosia-medium`, `pl-PL`, `pl` → `pl`; `joe` → undefined. */
export function languageOfVoice(name: string): string | undefined {
  return /^([a-z]{2})(?:$|[_-])/i.exec(name.trim())?.[1].toLowerCase();
}

function given(value: string | undefined): string | undefined {
  const trimmed = value?.trim().toLowerCase();
  return trimmed && trimmed !== 'default' ? trimmed : undefined;
}

export function voiceFit(voice: SpokenVoice, request: VoiceRequest): VoiceFit {
  const name = given(request.voice);
  const language = given(request.language);
  if (name && voice.names.has(name) && (!language || languageOfVoice(language) === voice.language)) return 'named';
  const wanted = language ? languageOfVoice(language) : name ? languageOfVoice(name) : undefined;
  if (wanted) return wanted === voice.language ? 'language' : 'none';
  return name || voice.servesDefault === false ? 'none' : 'default';
}

/** The index of the best-fitting voice (the first of equals), or -1 when none can serve the request. */
export function bestVoice(fits: readonly VoiceFit[]): number {
  let best = -1;
  for (const [i, fit] of fits.entries()) if (fit !== 'none' && (best < 0 || FIT_RANK[fit] > FIT_RANK[fits[best]])) best = i;
  return best;
}
