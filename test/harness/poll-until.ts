/** Polls `check` every `intervalMs` until it holds or `timeoutMs` has passed; whether it held. */
export async function pollUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  return true;
}

/** Polls `check` until it holds; the error says what was awaited and what `describe` shows last. */
export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number, describe?: () => string | Promise<string>): Promise<void> {
  if (!(await pollUntil(check, timeoutMs))) throw new Error(`${what}: not within ${timeoutMs} ms${describe ? ` (${await describe()})` : ''}`);
}
