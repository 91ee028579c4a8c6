/** Polish letters without their diacritics (`ł` → `l`, `ą` → `a`, `Ż` → `Z`); case and everything else kept. */
export function stripDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L');
}

/**
 * Text as keyword rules see it: lower case, diacritics removed, so that an ASR transcript without
 * Polish letters ("zatrzymaj sie") matches the same rules as one with them.
 */
export function foldText(text: string): string {
  return stripDiacritics(text.toLowerCase());
}
