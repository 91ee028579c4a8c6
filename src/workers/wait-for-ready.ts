/**
 * Polls a readiness URL until it answers 200 and `accept` agrees with its JSON body; throws with
 * the last answer after `timeoutMs`.
 */
export async function waitForReady(url: string, timeoutMs: number, accept: (body: unknown) => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      const text = await response.text();
      if (response.ok && accept(JSON.parse(text))) return;
      last = `${response.status} ${text}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms: ${last}`);
}
