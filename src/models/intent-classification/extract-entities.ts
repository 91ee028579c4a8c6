/** Entity values from the intent's patterns (see intents.json): each named group that matched, trimmed. */
export function extractEntities(text: string, patterns: Record<string, string>): Record<string, string> {
  const entities: Record<string, string> = {};
  for (const [name, pattern] of Object.entries(patterns)) {
    const value = new RegExp(pattern, 'iu').exec(text)?.groups?.[name]?.trim();
    if (value) entities[name] = value.toLowerCase();
  }
  return entities;
}
