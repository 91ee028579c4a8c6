import { Client, Connection } from '@temporalio/client';
import { frameTaskId, summarize, unansweredFrames } from '../test/harness/frame-outcomes';
import { percentile } from '../test/harness/percentile';
import { RobotSimulator, type FrameStreamStats } from '../test/harness/robot-simulator';
import { startExtraBridge, type ExtraBridge } from './extra-bridge';
import { waitUntilFramesAnswered } from './first-frame-answered';
import { frameRunStages, stageMedians } from './frame-run-stages';
import { startMachineCpuMeter } from './machine-cpu';
import { startOffloadForRobot, type OffloadForRobot } from './npm-start-for-robot';
import { BENCH_PROCESS, startProcessCpuMeter } from './process-cpu-meter';

/** The robot drops an offload answer that comes later than this after its frame. */
export const ROBOT_FRAME_DEADLINE_MS = 1000;

export interface RobotsPerPcOptions {
  /** How many robots to run at once, one measurement each (e.g. [1, 2, 4]). */
  robots: number[];
  /** Frames per second each robot sends. */
  fps: number;
  /** How long each robot streams for the measurement. */
  durationMs: number;
  /** How long each robot streams before it (not measured). */
  warmupMs: number;
  /** Set on top for npm start and every extra bridge (e.g. `OFFLOAD_FAST_PATH=false`). */
  extraEnv?: Record<string, string>;
}

/** What one robot got for its frames. */
export interface RobotFrameFigures {
  robotId: string;
  sent: number;
  answered: number;
  answeredWithinDeadline: number;
  /** Answered within the deadline with a model result (not fail-safe). */
  answeredByModelWithinDeadline: number;
  answeredByModel: number;
  answeredFailSafe: number;
  answeredTwice: number;
  p50Ms: number;
  p95Ms: number;
}

/** N robots streaming at once against one PC. */
export interface RobotsPerPcRow {
  robots: number;
  fps: number;
  framesSent: number;
  framesAnswered: number;
  /** Answers fail-safe ones too: the robot got an answer in time, though not always the model's. */
  answeredWithinDeadline: number;
  answeredWithinDeadlinePct: number;
  answeredByModelWithinDeadlinePct: number;
  /** Frame -> answer over every answered frame (late ones too). */
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  answeredByModel: number;
  /** Answered `fallback_required` (the robot decides locally). */
  answeredFailSafe: number;
  answeredTwice: number;
  /** Cores busy over the streaming window, whole machine (/proc/stat, other work on it included). */
  machineCoresBusy: number;
  /** Cores busy over the streaming window, processes we started (npm start's tree, extra bridges, this bench). */
  ourCoresBusy: number;
  coresByProcess: Record<string, number>;
  /** What became of frames without an answer (each run's delivery outcome), counted, and a few in full. */
  unanswered: Record<string, number>;
  unansweredExamples: string[];
  /** Why frames were answered fail-safe (the answer's `meta.error`, numbers and ids left out), counted. */
  failSafeReasons: Record<string, number>;
  /** Median ms per stage of the runs of up to 20 frames per robot, split by how the robot fared. */
  stageMediansMs: { answeredInTime: Record<string, number>; lateOrUnanswered: Record<string, number> };
  perRobot: RobotFrameFigures[];
}

interface Robot {
  id: string;
  simulator: RobotSimulator;
  /** An extra robot's bridge (the first robot's is npm start's). */
  extra?: ExtraBridge;
}

const robotIdOf = (index: number) => `rider-bench-${index + 1}`;

/**
 * Robots per PC: one `npm start` (its bridge serves the first robot), then for each N in
 * `options.robots`, N−1 extra robots each with its own broker and bridge process, all N streaming
 * the 320x240 fixtures at `fps` at once (started a frame interval / N apart, as independent
 * cameras would be). npm start is started once and shared by every N: it takes a minute to load
 * its models, and the server side is the same PC for every N; the extra bridges are started and
 * stopped per N.
 */
export async function measureRobotsPerPc(options: RobotsPerPcOptions): Promise<RobotsPerPcRow[]> {
  const offload = await startOffloadForRobot(robotIdOf(0), options.extraEnv);
  let first: RobotSimulator | undefined;
  let connection: Connection | undefined;
  try {
    first = await RobotSimulator.connect(offload.broker);
    await waitUntilFramesAnswered(first, offload.hasExited, 60_000, offload.output);
    await waitUntilIdle(offload);
    connection = await Connection.connect({ address: `127.0.0.1:${offload.ports.temporal}` });
    const rows: RobotsPerPcRow[] = [];
    for (const n of options.robots) rows.push(await measureRobots(offload, new Client({ connection }), first, n, options));
    return rows;
  } finally {
    await first?.close();
    await connection?.close();
    await offload.stop();
  }
}

async function measureRobots(offload: OffloadForRobot, client: Client, first: RobotSimulator, n: number, options: RobotsPerPcOptions): Promise<RobotsPerPcRow> {
  const robots: Robot[] = [{ id: offload.robotId, simulator: first }];
  try {
    for (let i = 1; i < n; i++) robots.push(await startExtraRobot(offload, robotIdOf(i)));
    const stagger = (index: number) => (index * 1000) / options.fps / n;
    const streamAll = (durationMs: number, drainMs: number) =>
      Promise.all(robots.map(async ({ simulator }, i) => {
        await sleep(stagger(i));
        return simulator.streamFrames({ fps: options.fps, durationMs, drainMs });
      }));
    if (options.warmupMs > 0) await streamAll(options.warmupMs, 1000);
    const machine = startMachineCpuMeter();
    const processes = startProcessCpuMeter([{ pid: offload.pid }, ...robots.flatMap(({ extra }) => (extra ? [{ pid: extra.bridge.pid, name: `bridge ${extra.robotId}` }] : []))]);
    const cpu = sleep(options.durationMs + stagger(n - 1)).then(() => ({ machine: machine.read(), processes: processes.read() }));
    const stats = await streamAll(options.durationMs, 2000);
    const { machine: machineCores, processes: coresByProcess } = await cpu;
    const missing = (await Promise.all(robots.map(({ id, simulator }, i) => unansweredFrames(client, simulator, id, stats[i])))).flat();
    return {
      ...rowOf(n, options.fps, robots, stats, { machineCores, coresByProcess }),
      unanswered: summarize(missing),
      unansweredExamples: missing.slice(0, 5),
      failSafeReasons: failSafeReasons(robots, stats),
      stageMediansMs: await sampledStages(client, robots, stats),
    };
  } finally {
    for (const { simulator, extra } of robots.slice(1).reverse()) {
      await simulator.close();
      await extra?.stop();
    }
  }
}

type FrameFigures = Omit<RobotsPerPcRow, 'unanswered' | 'unansweredExamples' | 'failSafeReasons' | 'stageMediansMs'>;

/** Cores npm start's processes may keep busy with nothing to do. */
const IDLE_CORES = 0.2;

/**
 * Waits (up to 2 minutes) until npm start's processes are nearly idle: its inference workers serve
 * before their last models are loaded and warm (OFFLOAD_SERVE_WHILE_LOADING), and the first N is
 * not to be measured against that.
 */
async function waitUntilIdle(offload: OffloadForRobot): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const meter = startProcessCpuMeter([{ pid: offload.pid }]);
    await sleep(2000);
    const busy = Object.entries(meter.read()).filter(([name]) => name !== BENCH_PROCESS);
    if (busy.reduce((total, [, cores]) => total + cores, 0) < IDLE_CORES || Date.now() > deadline || offload.hasExited()) return;
  }
}

/** Another robot with its own broker and bridge, once the bridge answers its frames; everything stopped again if it does not. */
async function startExtraRobot(offload: OffloadForRobot, robotId: string): Promise<Robot> {
  const extra = await startExtraBridge(offload, robotId);
  let simulator: RobotSimulator | undefined;
  try {
    simulator = await RobotSimulator.connect(extra.broker);
    const output = () => `bridge of ${robotId}:\n${extra.bridge.tail()}\nnpm start:\n${offload.output().slice(-1500)}`;
    await waitUntilFramesAnswered(simulator, () => offload.hasExited() || extra.bridge.hasExited(), 60_000, output);
    return { id: robotId, simulator, extra };
  } catch (err) {
    await simulator?.close();
    await extra.stop();
    throw err;
  }
}

function rowOf(n: number, fps: number, robots: Robot[], stats: FrameStreamStats[], cpu: { machineCores: number; coresByProcess: Record<string, number> }): FrameFigures {
  const perRobot = robots.map(({ id, simulator }, i) => figuresOf(id, simulator, stats[i]));
  const sum = (key: keyof Omit<RobotFrameFigures, 'robotId'>) => perRobot.reduce((total, robot) => total + robot[key], 0);
  const latencies = stats.flatMap((s) => s.latenciesMs);
  const framesSent = sum('sent');
  return {
    robots: n,
    fps,
    framesSent,
    framesAnswered: sum('answered'),
    answeredWithinDeadline: sum('answeredWithinDeadline'),
    answeredWithinDeadlinePct: Math.round((sum('answeredWithinDeadline') / framesSent) * 1000) / 10,
    answeredByModelWithinDeadlinePct: Math.round((sum('answeredByModelWithinDeadline') / framesSent) * 1000) / 10,
    p50Ms: Math.round(percentile(latencies, 50)),
    p95Ms: Math.round(percentile(latencies, 95)),
    maxMs: Math.round(Math.max(...latencies)),
    answeredByModel: sum('answeredByModel'),
    answeredFailSafe: sum('answeredFailSafe'),
    answeredTwice: sum('answeredTwice'),
    machineCoresBusy: twoDecimals(cpu.machineCores),
    ourCoresBusy: twoDecimals(Object.values(cpu.coresByProcess).reduce((a, b) => a + b, 0)),
    coresByProcess: Object.fromEntries(Object.entries(cpu.coresByProcess).sort(([, a], [, b]) => b - a).map(([name, cores]) => [name, twoDecimals(cores)])),
    perRobot,
  };
}

function figuresOf(robotId: string, simulator: RobotSimulator, stats: FrameStreamStats): RobotFrameFigures {
  const inTime = [...stats.sentAt.entries()].flatMap(([ts, sentAt]) => {
    const answer = simulator.answersTo('vision.obstacle.enhanced', { requestTs: ts })[0];
    return answer && answer.at - sentAt <= ROBOT_FRAME_DEADLINE_MS ? [answer] : [];
  });
  return {
    robotId,
    sent: stats.sent,
    answered: stats.answered,
    answeredWithinDeadline: inTime.length,
    answeredByModelWithinDeadline: inTime.filter((answer) => !((answer.payload.meta ?? {}) as { fallback_required?: boolean }).fallback_required).length,
    answeredByModel: stats.answeredByModel,
    answeredFailSafe: stats.answered - stats.answeredByModel,
    answeredTwice: stats.duplicates,
    p50Ms: stats.p50Ms,
    p95Ms: stats.p95Ms,
  };
}

function failSafeReasons(robots: Robot[], stats: FrameStreamStats[]): Record<string, number> {
  const reasons: Record<string, number> = {};
  robots.forEach(({ simulator }, i) => {
    for (const ts of stats[i].sentAt.keys()) {
      const meta = (simulator.answersTo('vision.obstacle.enhanced', { requestTs: ts })[0]?.payload.meta ?? {}) as { fallback_required?: boolean; error?: string };
      if (!meta.fallback_required) continue;
      const reason = (meta.error ?? 'no error given').replace(/frame-\S+/g, '<frame>').replace(/\d+/g, 'N');
      reasons[reason] = (reasons[reason] ?? 0) + 1;
    }
  });
  return reasons;
}

async function sampledStages(client: Client, robots: Robot[], stats: FrameStreamStats[]): Promise<RobotsPerPcRow['stageMediansMs']> {
  const samples = { answeredInTime: {} as Record<string, number[]>, lateOrUnanswered: {} as Record<string, number[]> };
  for (const [i, { id, simulator }] of robots.entries()) {
    const sent = [...stats[i].sentAt.entries()];
    for (const [ts, sentAt] of sent.filter((_, k) => k % Math.max(1, Math.floor(sent.length / 20)) === 0)) {
      const answer = simulator.answersTo('vision.obstacle.enhanced', { requestTs: ts })[0];
      const group = answer && answer.at - sentAt <= ROBOT_FRAME_DEADLINE_MS ? samples.answeredInTime : samples.lateOrUnanswered;
      const stages = await frameRunStages(client, frameTaskId(id, ts), performance.timeOrigin + sentAt).catch(() => ({}));
      for (const [stage, ms] of Object.entries(stages)) (group[stage] ??= []).push(ms);
    }
  }
  return { answeredInTime: stageMedians(samples.answeredInTime), lateOrUnanswered: stageMedians(samples.lateOrUnanswered) };
}

const twoDecimals = (value: number) => Math.round(value * 100) / 100;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
