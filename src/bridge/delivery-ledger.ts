import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Task ids whose results this robot's bridge has published, newest last. Temporal runs an activity
 * at least once; the ledger makes the publish at most once, also across bridge restarts: an id is
 * journaled *before* its messages are sent, so a bridge killed in between loses that one result
 * rather than sending it twice.
 */
export interface DeliveryLedger {
  has(taskId: string): boolean;
  /** Remembers the id (and journals it) before the caller publishes. */
  record(taskId: string): void;
  readonly size: number;
}

export interface DeliveryLedgerOptions {
  /** Journal file (one id per line); without it the ledger lives in memory only. */
  file?: string;
  /** Ids remembered (default 10 000: over half an hour of frames at 5 fps). */
  capacity?: number;
}

export function openDeliveryLedger(options: DeliveryLedgerOptions = {}): DeliveryLedger {
  const capacity = options.capacity ?? 10_000;
  const ids = new Set<string>();
  const { file } = options;
  let journalLines = 0;
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    if (existsSync(file)) {
      const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
      for (const id of lines.slice(-capacity)) ids.add(id);
      journalLines = lines.length;
    }
  }

  function compact(path: string): void {
    const temp = `${path}.tmp`;
    writeFileSync(temp, [...ids].map((id) => `${id}\n`).join(''));
    renameSync(temp, path);
    journalLines = ids.size;
  }

  return {
    has: (taskId) => ids.has(taskId),
    record(taskId) {
      if (ids.has(taskId)) return;
      ids.add(taskId);
      if (ids.size > capacity) ids.delete(ids.values().next().value as string);
      if (!file) return;
      appendFileSync(file, `${taskId}\n`);
      journalLines += 1;
      if (journalLines > 2 * capacity) compact(file);
    },
    get size() {
      return ids.size;
    },
  };
}
