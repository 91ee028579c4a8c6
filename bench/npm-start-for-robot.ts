import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { findRepoRoot } from '../src/models/model-dirs';
import { RobotBroker } from '../test/harness/robot-broker';
import { startAllEnv } from '../test/harness/start-all-env';

export interface OffloadForRobot {
  broker: RobotBroker;
  ports: Awaited<ReturnType<typeof startAllEnv>>['ports'];
  robotId: string;
  /** npm start's process id (its children run below it). */
  pid: number;
  /** The environment npm start runs with. */
  env: NodeJS.ProcessEnv;
  /** What npm start printed so far. */
  output(): string;
  hasExited(): boolean;
  stop(): Promise<void>;
}

/** `npm start` (dist/src/main/start-all.js) on free ports with a robot broker like the robot's, once it says it is running. */
export async function startOffloadForRobot(robotId: string, extraEnv: Record<string, string> = {}): Promise<OffloadForRobot> {
  const broker = await RobotBroker.start();
  const { ports, env, dataDir } = await startAllEnv({
    OFFLOAD_ROBOT_ID: robotId,
    OFFLOAD_ROBOT_HOST: '127.0.0.1',
    OFFLOAD_ROBOT_PUB_PORT: String(broker.xsubPort),
    OFFLOAD_ROBOT_SUB_PORT: String(broker.xpubPort),
    OFFLOAD_LOG_LEVEL: 'warn',
    ...extraEnv,
  });
  let output = '';
  const offload = spawn(process.execPath, [resolve(findRepoRoot(), 'dist/src/main/start-all.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  offload.stdout?.on('data', (d) => (output += d));
  offload.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((done) => offload.once('exit', (code) => done(code)));
  const started: OffloadForRobot = {
    broker,
    ports,
    robotId,
    pid: offload.pid as number,
    env,
    output: () => output,
    hasExited: () => offload.exitCode !== null,
    async stop() {
      offload.kill('SIGTERM');
      await exited;
      await broker.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await waitFor(() => output.includes('Offload is running.'), started.hasExited, 300_000, started.output);
  } catch (err) {
    await started.stop();
    throw err;
  }
  return started;
}

/** Polls `done` every 500 ms (calling `each` first) until it holds; fails with the last of `context` (what the processes waited on printed) when `failed` or time runs out. */
export async function waitFor(done: () => boolean, failed: () => boolean, timeoutMs: number, context: () => string, each?: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (failed()) throw new Error(`exited before ready:\n${context().slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms:\n${context().slice(-3000)}`);
    await each?.();
    await new Promise((r) => setTimeout(r, 500));
  }
}
