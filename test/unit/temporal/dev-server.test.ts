import { Client, Connection } from '@temporalio/client';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/load-config';
import { startDevServer, type DevServer, type DevServerOptions } from '../../../temporal/dev-server';
import { isPortFree } from '../../../temporal/free-port';
import { resolveTemporalCli } from '../../../temporal/install-cli';
import { indexedValueType, projectSearchAttributes } from '../../../temporal/search-attributes';
import { splitAddress } from '../../../temporal/wait-for-server';

/** Polls until `pid` is gone (kill 0 fails with ESRCH). */
async function processGone(pid: number, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

async function expectStoppedAndFreed(server: DevServer, uiPort?: number): Promise<void> {
  const { host, port } = splitAddress(server.address);
  await server.stop();
  await server.stop(); // idempotent
  expect(await processGone(server.pid)).toBe(true);
  expect(await isPortFree(port, host)).toBe(true);
  if (uiPort !== undefined) expect(await isPortFree(uiPort, host)).toBe(true);
}

describe('startDevServer', () => {
  let cliPath: string;
  const servers: DevServer[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    cliPath = await resolveTemporalCli(loadConfig(process.env), { log: () => undefined });
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  async function start(options: Omit<DevServerOptions, 'cliPath'> = {}): Promise<DevServer> {
    const server = await startDevServer({ cliPath, ...options });
    servers.push(server);
    return server;
  }

  test('in memory, headless: registers every search attribute, then stops and frees its port', async () => {
    // How long it takes is speed (`npm run bench -- noop` records it); startDevServer's own start-up timeout bounds the wait.
    const server = await start({ uiPort: false });
    expect(server.uiUrl).toBeUndefined();
    expect(server.namespace).toBe('default');

    const connection = await Connection.connect({ address: server.address });
    try {
      const listed = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
      for (const spec of projectSearchAttributes()) {
        expect([spec.name, listed.customAttributes?.[spec.name]]).toEqual([spec.name, indexedValueType(spec.type)]);
      }
    } finally {
      await connection.close();
    }
    await expectStoppedAndFreed(server);
  });

  test('dynamic config: the priority matcher hands out a backlog lowest priority key first', async () => {
    const server = await start({ uiPort: false });
    const connection = await Connection.connect({ address: server.address });
    try {
      const client = new Client({ connection });
      const taskQueue = `priority-probe-${Date.now()}`;
      const keys = [9, 7, 10, 6, 8, 1];
      // No worker: each start leaves a workflow task in the backlog, in this (unsorted) order.
      for (const key of keys) {
        await client.workflow.start('noSuchWorkflow', { taskQueue, workflowId: `probe-${key}`, priority: { priorityKey: key } });
      }
      const handedOut: number[] = [];
      for (let i = 0; i < keys.length; i++) {
        const task = await connection.withDeadline(Date.now() + 20_000, () =>
          connection.workflowService.pollWorkflowTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue, kind: 1 }, identity: 'probe' }),
        );
        handedOut.push(Number(task.workflowExecution?.workflowId?.replace('probe-', '')));
      }
      // The old matcher (the server default) would return them first-in, first-out.
      expect(handedOut).toEqual([...keys].sort((a, b) => a - b));
    } finally {
      await connection.close();
    }
    await server.stop();
  });

  test('with a SQLite file and the UI: WAL journal, the UI answers, state survives a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'offload-dev-server-'));
    dirs.push(dir);
    const dbFile = join(dir, 'nested', 'temporal.db');

    const first = await start({ dbFile, namespace: 'offload-test' });
    expect(first.namespace).toBe('offload-test');
    expect(first.uiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const ui = await fetch(first.uiUrl as string);
    expect(ui.status).toBe(200);
    expect(existsSync(`${dbFile}-wal`)).toBe(true); // journal_mode=wal took effect

    let connection = await Connection.connect({ address: first.address });
    try {
      const listed = await connection.operatorService.listSearchAttributes({ namespace: 'offload-test' });
      expect(Object.keys(listed.customAttributes ?? {})).toEqual(expect.arrayContaining(projectSearchAttributes().map((s) => s.name)));
      const client = new Client({ connection, namespace: 'offload-test' });
      await client.workflow.start('noSuchWorkflow', { taskQueue: 'persist-probe', workflowId: 'persisted-run' });
    } finally {
      await connection.close();
    }
    await expectStoppedAndFreed(first, Number(new URL(first.uiUrl as string).port));

    const second = await start({ dbFile, namespace: 'offload-test', uiPort: false });
    connection = await Connection.connect({ address: second.address });
    try {
      const client = new Client({ connection, namespace: 'offload-test' });
      const description = await client.workflow.getHandle('persisted-run').describe();
      expect(description.status.name).toBe('RUNNING');
    } finally {
      await connection.close();
    }
    await expectStoppedAndFreed(second);
  });

  (process.platform === 'linux' ? test : test.skip)('detached: the server leads its own process group, so Ctrl-C does not reach it', async () => {
    const server = await start({ uiPort: false, detached: true });
    const processGroup = (pid: number): number => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[2]);
    expect(processGroup(server.pid)).toBe(server.pid);
    expect(processGroup(server.pid)).not.toBe(processGroup(process.pid));
    await expectStoppedAndFreed(server);
  });

  test('a server that dies during start-up fails with its own output in the error', async () => {
    await expect(start({ uiPort: false, extraArgs: ['--dynamic-config-value', 'not-json=={'] })).rejects.toThrow(
      /exited during start-up[\s\S]*Last server output:[\s\S]*dynamic config/i,
    );
  });
});
