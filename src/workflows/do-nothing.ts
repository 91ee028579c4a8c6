/** A workflow without activities: measures the orchestration floor (`npm run bench -- noop`). */
export async function doNothing(): Promise<void> {
  return;
}
