import { Client, Connection } from '@temporalio/client';
import { frameTaskId, summarize, unansweredFrames } from '../test/harness/frame-outcomes';
import { RobotSimulator, type FrameStreamStats } from '../test/harness/robot-simulator';
import { spoken, streamMicrophone } from '../test/harness/robot-voice';
import { flag } from './bench-args';
import { waitUntilFramesAnswered } from './first-frame-answered';
import { frameRunStages, stageMedians } from './frame-run-stages';
import { startOffloadForRobot } from './npm-start-for-robot';
import { writeResult } from './write-result';

/**
 * The robot's frame stream against `npm start` (dev server, workflow worker, gpu+cpu inference
 * workers, bridge, API), with a broker like the robot's and a simulated robot: 5 fps of the
 * 320x240 fixtures for 30 s, the robot's capabilities poll every 5 s alongside. Records the share
 * of frames answered on `vision.obstacle.enhanced`, frame->answer latency and what became of the
 * rest; then one ASR request and the time to its answer (the robot waits 5 s). `--check` fails
 * unless >= 95% of frames are answered, none twice, and every poll answers within 2 s.
 */
export async function benchBridgeFrames(args: string[]): Promise<void> {
  const seconds = Number(flag(args, '--duration') ?? 30);
  const fps = Number(flag(args, '--fps') ?? 5);
  const warmupSeconds = Number(flag(args, '--warmup') ?? 3);
  const robotId = 'rider-bench';
  const offload = await startOffloadForRobot(robotId);
  const { broker, ports } = offload;
  let robot: RobotSimulator | undefined;
  let connection: Connection | undefined;
  try {
    robot = await RobotSimulator.connect(broker);
    await waitUntilFramesAnswered(robot, offload.hasExited, 60_000, offload.output);
    if (warmupSeconds > 0) await robot.streamFrames({ fps, durationMs: warmupSeconds * 1000, drainMs: 1000 });
    const polls: number[] = [];
    const pollFailures: string[] = [];
    const apiUrl = `http://127.0.0.1:${ports.api}`;
    const poller = setInterval(() => {
      const started = performance.now();
      fetch(`${apiUrl}/providers/capabilities`, { signal: AbortSignal.timeout(2000) })
        .then(async (r) => {
          const body = (await r.json()) as { vision?: { mode?: string } };
          polls.push(performance.now() - started);
          if (body.vision?.mode !== 'pc') pollFailures.push(`vision mode ${body.vision?.mode}`);
        })
        .catch((err: unknown) => pollFailures.push(err instanceof Error ? err.message : String(err)));
    }, 5000);
    const stats = await robot.streamFrames({ fps, durationMs: seconds * 1000 });
    clearInterval(poller);
    const asr = await asrRoundTrip(robot);
    connection = await Connection.connect({ address: `127.0.0.1:${ports.temporal}` });
    const missing = await unansweredFrames(new Client({ connection }), robot, robotId, stats);
    const stages = await answeredFrameStages(new Client({ connection }), robot, robotId, stats);
    const answeredPct = Math.round((stats.answered / stats.sent) * 1000) / 10;
    const figures = {
      frames_sent: stats.sent,
      frames_answered: stats.answered,
      answered_pct: answeredPct,
      answered_by_model: stats.answeredByModel,
      answered_twice: stats.duplicates,
      well_formed_answers: stats.wellFormed,
      latency_p50_ms: stats.p50Ms,
      latency_p95_ms: stats.p95Ms,
      latency_max_ms: stats.maxMs,
      capabilities_polls: polls.length,
      capabilities_max_ms: Math.round(Math.max(...polls)),
      capabilities_failures: pollFailures.length,
      asr_answer_ms: asr.ms,
      asr_answered_by_model: asr.byModel ? 'yes' : 'no (fallback_required)',
      fps,
      duration_s: seconds,
    };
    writeResult('bridge-frames', figures, {
      unanswered: summarize(missing),
      median_stage_ms: stages,
      topology: 'npm start (Temporal CLI dev server with a SQLite file, workflow worker, gpu + cpu inference workers, bridge, API) + a robot broker (XSUB->XPUB) and a simulated robot, all on this machine',
      frames: 'fixtures/images/*_320x240.jpg in turn; latency = robot publish -> vision.obstacle.enhanced received',
      asr: 'fixtures/audio/pl_hello.s16le.pcm (2.25 s) said into the robot microphone stream (20 ms voice.asr.request frames); asr_answer_ms = end of speech -> voice.asr.result received',
      goal: '>= 95% of frames answered; capabilities answered within 2 s; ASR answered within 5 s',
    });
    if (args.includes('--check')) {
      const problems = [
        ...(answeredPct < 95 ? [`only ${answeredPct}% of frames answered (goal 95%)`] : []),
        ...(stats.duplicates > 0 ? [`${stats.duplicates} frames answered twice`] : []),
        ...(pollFailures.length > 0 ? [`capabilities polls failed: ${pollFailures.join('; ')}`] : []),
      ];
      if (problems.length) throw new Error(`bridge soak failed: ${problems.join('; ')}`);
      console.log('bridge soak passed');
    }
  } finally {
    await robot?.close();
    await connection?.close();
    await offload.stop();
  }
}

/** The robot says pl_hello into its microphone stream (20 ms frames): ms from the end of speech to its transcript, and whether a model heard it. */
async function asrRoundTrip(robot: RobotSimulator): Promise<{ ms: number; byModel: boolean }> {
  const log = await streamMicrophone(robot, { utterances: [spoken('pl_hello')], leadMs: 600, gapMs: 0, trailMs: 1500 });
  try {
    const [heard] = await log.waitForResults(1, 60_000);
    return { ms: Math.round(heard.message.at - (log.speechEndAt.get('pl_hello') as number)), byModel: heard.text !== '' };
  } catch {
    return { ms: NaN, byModel: false };
  } finally {
    log.stopListening();
  }
}

/**
 * Where a frame's time goes, from the run histories of up to 40 answered frames (medians, ms):
 * robot -> bridge -> run started, waits and work inside the run, then delivery back to the robot.
 */
async function answeredFrameStages(client: Client, robot: RobotSimulator, robotId: string, stats: FrameStreamStats): Promise<Record<string, number>> {
  const samples: Record<string, number[]> = {};
  const add = (stage: string, ms: number) => (samples[stage] ??= []).push(ms);
  for (const ts of [...stats.sentAt.keys()].slice(0, 40)) {
    const answer = robot.answersTo('vision.obstacle.enhanced', { requestTs: ts })[0];
    if (!answer) continue;
    const run = await frameRunStages(client, frameTaskId(robotId, ts));
    if (run.delivery_pickup === undefined) continue;
    const meta = answer.payload.meta as { latency_ms: number; timings: Record<string, number> };
    add('robot_total', answer.at - (stats.sentAt.get(ts) as number));
    add('bridge_receive_to_publish', meta.latency_ms);
    add('model_inference', meta.timings.inference_ms ?? NaN);
    add('model_pre_and_post', (meta.timings.preprocess_ms ?? 0) + (meta.timings.postprocess_ms ?? 0));
    for (const [stage, ms] of Object.entries(run)) add(stage, ms);
  }
  return stageMedians(samples);
}
