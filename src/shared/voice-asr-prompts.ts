/**
 * What the recogniser is told to expect in a voice session (Whisper's initial prompt), per language:
 * the robot's stop vocabulary (its command keywords stop, pauza, cisza and "zatrzymaj się").
 * whisper-base heard the espeak-ng "Zatrzymaj się." as "Ma szumaj się." without it and right with
 * it. Only stop words: a prompt holding motion commands made the recogniser hear "Jedź do przodu."
 * in a greeting, and a robot must never drive because of a prompt; a stop heard in error is the safe
 * mistake. English robots (Whisper tiny.en) need none.
 */
const ASR_PROMPTS: Record<string, string> = {
  pl: 'Zatrzymaj się. Stój. Pauza. Cisza.',
};

export function asrPromptFor(language: string): string | undefined {
  return ASR_PROMPTS[language];
}
