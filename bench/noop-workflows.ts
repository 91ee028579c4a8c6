import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfig } from '../src/config/load-config';
import { startDevServer } from '../temporal/dev-server';
import { resolveTemporalCli } from '../temporal/install-cli';
import { createWorkflowWorker } from '../src/workers/workflow-worker';
import { workflowQueue } from '../src/shared/queues';
import { writeResult } from './write-result';
import { flag } from './bench-args';

/**
 * No-op workflows per second on the dev server with a persisted SQLite file, as `npm start` runs it:
 * `count` workflows started and awaited with `concurrency` in flight.
 */
export async function benchNoopWorkflows(args: string[]): Promise<void> {
  const count = Number(flag(args, '--count') ?? (args.includes('--quick') ? 500 : 2000));
  const concurrency = Number(flag(args, '--concurrency') ?? 100);
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const dataDir = mkdtempSync(join(tmpdir(), 'offload-bench-'));
  const cliPath = await resolveTemporalCli(loadConfig(process.env));
  const starting = performance.now();
  const server = await startDevServer({ cliPath, uiPort: false, dbFile: join(dataDir, 'temporal.db'), logLevel: 'error' });
  const serverStartMs = Math.round(performance.now() - starting);
  const native = await NativeConnection.connect({ address: server.address });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const queuePrefix = `bench-${Date.now()}`;
  const worker = await createWorkflowWorker({ connection: native, namespace: 'default', queuePrefix });
  try {
    const { elapsedMs: measured } = await worker.runUntil(() => measureNoopWorkflows(client, queuePrefix, count, concurrency));
    writeResult('noop', {
      noop_wf_per_s: Math.round((count / measured) * 1000 * 10) / 10,
      workflows: count,
      concurrency,
      elapsed_ms: Math.round(measured),
      dev_server_start_ms: serverStartMs,
    }, { server: 'temporal CLI dev server, SQLite file (journal_mode=wal, synchronous=normal)', goal: '>= 100 workflows/s on 2 cores' });
  } finally {
    await native.close();
    await connection.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** No-op workflows run before the measured batch. */
export const NOOP_WARMUP_WORKFLOWS = 50;

export interface NoopStartOptions {
  /**
   * Ask for eager workflow start: the server hands the first workflow task back in the start
   * response when the client is built on the NativeConnection of a workflow worker in this process.
   */
  requestEagerStart?: boolean;
}

/** How the measured batch went. */
export interface NoopRun {
  elapsedMs: number;
  /** Workflows of the measured batch the server started eagerly. */
  eagerlyStarted: number;
}

/** Starts and awaits `count` no-op workflows with `concurrency` in flight (after a warm-up batch). */
export async function measureNoopWorkflows(client: Client, queuePrefix: string, count: number, concurrency: number, options: NoopStartOptions = {}): Promise<NoopRun> {
  await runBatch(client, queuePrefix, NOOP_WARMUP_WORKFLOWS, 25, options);
  const started = performance.now();
  const eagerlyStarted = await runBatch(client, queuePrefix, count, concurrency, options);
  return { elapsedMs: performance.now() - started, eagerlyStarted };
}

/** Runs the batch; how many of its workflows were started eagerly. */
async function runBatch(client: Client, queuePrefix: string, count: number, concurrency: number, options: NoopStartOptions): Promise<number> {
  let next = 0;
  let eager = 0;
  const lane = async () => {
    while (next < count) {
      const id = `noop-${queuePrefix}-${next++}-${Math.random().toString(36).slice(2)}`;
      const handle = await client.workflow.start('doNothing', { taskQueue: workflowQueue(queuePrefix), workflowId: id, requestEagerStart: options.requestEagerStart });
      if (handle.eagerlyStarted) eager++;
      await handle.result();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return eager;
}
