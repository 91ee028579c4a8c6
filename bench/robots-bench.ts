import { flag } from './bench-args';
import { measureRobotsPerPc, ROBOT_FRAME_DEADLINE_MS, type RobotsPerPcRow } from './robots-per-pc';
import { writeResult } from './write-result';

/** The goal of issue #14: this many robots at 5 fps on one PC... */
const GOAL_ROBOTS = 4;
/** ...each with at least this share of its frames answered within its deadline. */
const GOAL_WITHIN_DEADLINE_PCT = 95;

/**
 * `npm run bench -- robots [--duration S] [--warmup S] [--robots 1,2,4] [--fps 5] [--quick]
 * [--env NAME=VALUE ...]`: robots per PC (see {@link measureRobotsPerPc}); `--quick` streams 10 s
 * per N after a 2 s warm-up. Writes bench/results/<date>-robots-per-pc.json.
 */
export async function benchRobotsPerPc(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const seconds = Number(flag(args, '--duration') ?? (quick ? 10 : 30));
  const warmupSeconds = Number(flag(args, '--warmup') ?? (quick ? 2 : 3));
  const robots = (flag(args, '--robots') ?? '1,2,4').split(',').map(Number);
  const fps = Number(flag(args, '--fps') ?? 5);
  const extraEnv = Object.fromEntries(args.flatMap((arg, i) => (arg === '--env' ? [args[i + 1].split(/=(.*)/s).slice(0, 2)] : [])));
  const rows = await measureRobotsPerPc({ robots, fps, durationMs: seconds * 1000, warmupMs: warmupSeconds * 1000, extraEnv });
  console.log(formatRobotsTable(rows));
  const goal = rows.find((row) => row.robots === GOAL_ROBOTS);
  writeResult(
    'robots-per-pc',
    {
      ...Object.fromEntries(rows.flatMap((row) => [
        [`robots_${row.robots}_within_1s_pct`, row.answeredWithinDeadlinePct],
        [`robots_${row.robots}_by_model_within_1s_pct`, row.answeredByModelWithinDeadlinePct],
      ])),
      goal: `${GOAL_ROBOTS} robots x ${fps} fps, >= ${GOAL_WITHIN_DEADLINE_PCT}% within ${ROBOT_FRAME_DEADLINE_MS} ms`,
      goal_met: goal ? (goal.answeredWithinDeadlinePct >= GOAL_WITHIN_DEADLINE_PCT ? 'yes' : 'no') : 'not measured',
      fps,
      duration_s: seconds,
    },
    {
      rows,
      extra_env: extraEnv,
      topology:
        'one npm start (Temporal CLI dev server with a SQLite file, workflow worker, gpu + cpu inference workers, API, the first robot\'s bridge) and per extra robot its own broker (XSUB->XPUB) and bridge process (dist/src/main/bridge.js, npm start\'s settings, its own OFFLOAD_ROBOT_ID and OFFLOAD_BRIDGE_TASK_QUEUE); the simulated robots run in the bench process, all on this machine',
      frames: `fixtures/images/*_320x240.jpg in turn; answered within deadline = vision.obstacle.enhanced for the frame's ts received <= ${ROBOT_FRAME_DEADLINE_MS} ms after sending`,
      cpu: 'cores busy over the streaming window: machine from /proc/stat (other work on the machine included), ours from /proc/<pid>/stat of every process we started',
    },
  );
}

/** The rows as a markdown table, then the CPU of each process per N. */
export function formatRobotsTable(rows: RobotsPerPcRow[]): string {
  const header = ['robots', 'frames sent', `answered within ${ROBOT_FRAME_DEADLINE_MS / 1000} s`, `by model within ${ROBOT_FRAME_DEADLINE_MS / 1000} s`, 'p50 ms', 'p95 ms', 'by model', 'fail-safe', 'twice', 'cores busy (machine / ours)'];
  const lines = rows.map((r) =>
    [r.robots, r.framesSent, `${r.answeredWithinDeadline} (${r.answeredWithinDeadlinePct}%)`, `${r.answeredByModelWithinDeadlinePct}%`, msOrDash(r.p50Ms), msOrDash(r.p95Ms), r.answeredByModel, r.answeredFailSafe, r.answeredTwice, `${r.machineCoresBusy} / ${r.ourCoresBusy}`].join(' | '),
  );
  const cpu = rows.map((r) => `N=${r.robots} cores by process: ${Object.entries(r.coresByProcess).map(([name, cores]) => `${name} ${cores}`).join(', ')}`);
  return ['', `| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...lines.map((l) => `| ${l} |`), '', ...cpu].join('\n');
}

/** No frame answered: no latency. */
const msOrDash = (ms: number) => (Number.isNaN(ms) ? '-' : ms);
