import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Client } from '@temporalio/client';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';

export type History = temporal.api.history.v1.IHistory;

export interface NamedHistory {
  workflowId: string;
  history: History;
}

/** A run's full event history from the server. */
export async function fetchHistory(client: Client, workflowId: string, runId?: string): Promise<NamedHistory> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  return { workflowId, history };
}

/** The histories of every run a visibility query finds (at most `limit`). */
export async function* queryHistories(client: Client, query: string, limit = 1000): AsyncIterable<NamedHistory> {
  let count = 0;
  for await (const found of client.workflow.list({ query }).intoHistories()) {
    yield { workflowId: found.workflowId, history: found.history as History };
    if (++count >= limit) return;
  }
}

/** A history exported by `offload history export` or the Temporal UI/CLI (JSON). */
export async function readHistoryFile(file: string): Promise<NamedHistory> {
  const text = await readFile(file, 'utf8');
  let history: History;
  try {
    history = historyFromJSON(JSON.parse(text));
  } catch (err) {
    throw new Error(`${file} is not a workflow history: ${err instanceof Error ? err.message : String(err)}`);
  }
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  if (!started) throw new Error(`${file} is not a workflow history: its first event is not WorkflowExecutionStarted`);
  return { workflowId: basename(file, '.json'), history };
}

export async function writeHistoryFile(file: string, history: History): Promise<void> {
  await writeFile(file, `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 2)}\n`);
}

