import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findRepoRoot } from '../../src/models';
import { fixturePath } from '../harness/fixtures';
import { startAllEnv, type StartAllPorts } from '../harness/start-all-env';
import { testDeadlines } from '../harness/test-deadlines';

const repo = findRepoRoot();
let supervisor: ChildProcess;
let output = '';
let ports: StartAllPorts;
let descendants: number[] = [];
/**
 * How long npm start may take to say it runs before the test calls it hung: beyond start-all's own
 * readiness wait (300 s, after seeding and the dev server), so a busy machine is never mistaken for a hang.
 */
const START_BOUND_MS = 420_000;

function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry), ...childPids(Number(entry)));
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

function offloadCli(args: string[]) {
  const run = spawnSync(process.execPath, [join(repo, 'bin', 'offload.js'), ...args], {
    env: { ...process.env, TEMPORAL_ADDRESS: `127.0.0.1:${ports.temporal}`, OFFLOAD_DEADLINES_MS: testDeadlines() },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(async () => {
  const started = await startAllEnv({ OFFLOAD_MODEL_DIR: process.env.OFFLOAD_TEST_MODEL_DIR, OFFLOAD_DEADLINES_MS: testDeadlines() });
  ports = started.ports;
  supervisor = spawn(process.execPath, [resolve(repo, 'dist/src/main/start-all.js')], { env: started.env, stdio: ['ignore', 'pipe', 'pipe'] });
  supervisor.stdout?.on('data', (chunk) => (output += chunk));
  supervisor.stderr?.on('data', (chunk) => (output += chunk));
  const readyBy = Date.now() + START_BOUND_MS;
  await new Promise<void>((resolveReady, reject) => {
    const timer = setInterval(() => {
      if (output.includes('Offload is running.')) {
        clearInterval(timer);
        resolveReady();
      } else if (supervisor.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`start-all exited early:\n${output}`));
      } else if (Date.now() > readyBy) {
        clearInterval(timer);
        reject(new Error(`start-all did not say it runs within ${START_BOUND_MS} ms; it printed:\n${output}`));
      }
    }, 200);
  });
}, START_BOUND_MS + 30_000);

afterAll(() => {
  if (supervisor.exitCode === null) supervisor.kill('SIGKILL');
  for (const pid of descendants) if (alive(pid)) process.kill(pid, 'SIGKILL');
});

test('npm start prints where the UI, API and metrics are', () => {
  expect(output).toContain(`http://127.0.0.1:${ports.ui}`);
  expect(output).toContain(`http://127.0.0.1:${ports.api}/metrics`);
});

test('the gpu worker says in its first log line that it runs the CPU execution provider', () => {
  const first = output.split('\n').find((line) => line.startsWith('[gpu-worker]'));
  expect(first).toMatch(/gpu worker using the CPU execution provider: CUDA is not available/);
});

test('health, readiness, metrics and the Temporal Web UI answer', async () => {
  const api = `http://127.0.0.1:${ports.api}`;
  expect((await fetch(`${api}/healthz`)).status).toBe(200);
  const ready = await fetch(`${api}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toMatchObject({ ready: true, workers: { inference: { cpu: 1, gpu: 1 } } });
  expect(await (await fetch(`${api}/metrics`)).text()).toContain('process_cpu_seconds_total');
  expect((await fetch(`http://127.0.0.1:${ports.ui}/`)).status).toBe(200);
});

test('`offload submit` answers dog.jpg with a dog and bus.jpg with a bus and 3+ persons; list and status find it', () => {
  const dog = offloadCli(['submit', 'vision.detection', '--file', fixturePath('images/dog.jpg'), '--json']);
  expect(dog.stderr).toBe('');
  expect(dog.code).toBe(0);
  const dogResult = JSON.parse(dog.stdout);
  expect(dogResult.status).toBe('completed');
  expect(dogResult.result.boxes.map((b: { label: string }) => b.label)).toContain('dog');

  const bus = JSON.parse(offloadCli(['submit', 'vision.detection', '--file', fixturePath('images/bus.jpg'), '--json', '--robot', 'rider-e2e']).stdout);
  const labels: string[] = bus.result.boxes.map((b: { label: string }) => b.label);
  expect(labels).toContain('bus');
  expect(labels.filter((l) => l === 'person').length).toBeGreaterThanOrEqual(3);

  const status = JSON.parse(offloadCli(['status', dogResult.task_id, '--json']).stdout);
  expect(status).toMatchObject({ task_id: dogResult.task_id, status: 'completed' });
  const listed = JSON.parse(offloadCli(['list', '--robot', 'rider-e2e', '--json']).stdout);
  expect(listed.map((e: { task_id: string }) => e.task_id)).toEqual([bus.task_id]);
});

test('the CLI rejects bad input with a clear message and exit code 2', () => {
  const run = offloadCli(['submit', 'vision.detection', '--text', 'hello', '--priority', '3']);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/payload\.image_base64|image file/);
  const unknown = offloadCli(['submit', 'vision.segment', '--file', fixturePath('images/dog.jpg')]);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toMatch(/vision\.segment.*is not one of/);
});

test('SIGTERM drains and stops every process it started', async () => {
  descendants = childPids(supervisor.pid as number);
  expect(descendants.length).toBeGreaterThanOrEqual(5);
  const exited = new Promise<number | null>((done) => supervisor.once('exit', (code) => done(code)));
  supervisor.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(descendants.filter(alive)).toEqual([]);
  expect(output).toContain('all stopped');
}, 120_000);
