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
    const measured = await worker.runUntil(() => measureNoopWorkflows(client, queuePrefix, count, concurrency));
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

/** Starts and awaits `count` no-op workflows with `concurrency` in flight (after a warm-up batch); the elapsed ms. */
export async function measureNoopWorkflows(client: Client, queuePrefix: string, count: number, concurrency: number): Promise<number> {
  await runBatch(client, queuePrefix, NOOP_WARMUP_WORKFLOWS, 25);
  const started = performance.now();
  await runBatch(client, queuePrefix, count, concurrency);
  return performance.now() - started;
}

async function runBatch(client: Client, queuePrefix: string, count: number, concurrency: number): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const id = `noop-${queuePrefix}-${next++}-${Math.random().toString(36).slice(2)}`;
      await client.workflow.execute('doNothing', { taskQueue: workflowQueue(queuePrefix), workflowId: id });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}

