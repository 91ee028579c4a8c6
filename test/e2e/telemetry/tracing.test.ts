import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { bundleWorkflowCode } from '@temporalio/worker';
import { Registry } from 'prom-client';
import { RobotBridge } from '../../../src/bridge/robot-bridge';
import { loadConfig } from '../../../src/config/load-config';
import { workflowInterceptorModules } from '../../../src/telemetry/sinks/workflow-modules';
import { startTracing, type Tracing } from '../../../src/telemetry/tracing';
import { fixtureBase64 } from '../../harness/fixtures';
import { RobotBroker } from '../../harness/robot-broker';
import { RobotSimulator } from '../../harness/robot-simulator';
import { testDeadlines } from '../../harness/test-deadlines';
import { closeTestRuntimes, testRuntime } from '../../harness/test-runtime';
import { memoryLogger, TelemetryTestEnv } from '../../harness/telemetry-env';

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let env: TelemetryTestEnv;

beforeAll(async () => {
  tracing = startTracing({ serviceName: 'offload-test', spanProcessor: new SimpleSpanProcessor(exporter) });
  const bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../../src/workflows'),
    workflowInterceptorModules: workflowInterceptorModules({ tracing: true }),
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} },
  });
  env = await TelemetryTestEnv.start({
    runtimes: { cpu: await testRuntime('cpu') },
    tracing,
    bundle,
    env: { OFFLOAD_ROUTES: 'vision.frame=cpu' },
  });
});

afterAll(async () => {
  await env?.close();
  await closeTestRuntimes();
  await tracing?.shutdown();
});

/** Waits until the trace has a span named `name` (workflow spans arrive through a sink, after the activation). */
async function spansOfTrace(traceId: string, last: string): Promise<ReadableSpan[]> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    if (spans.some((s) => s.name === last) || Date.now() > deadline) return spans;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The chain of span names from the root down to `leaf`, following parent ids. */
function chainTo(spans: ReadableSpan[], leaf: string): string[] {
  const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
  const chain: string[] = [];
  let span = spans.find((s) => s.name === leaf);
  while (span) {
    chain.unshift(span.name);
    const parent = span.parentSpanContext?.spanId;
    span = parent ? byId.get(parent) : undefined;
  }
  return chain;
}

function parentOf(spans: ReadableSpan[], name: string): string | undefined {
  const span = spans.find((s) => s.name === name);
  return spans.find((s) => s.spanContext().spanId === span?.parentSpanContext?.spanId)?.name;
}

test('one trace for a task: client -> workflow -> activity -> model, and the result back to the client', async () => {
  const result = await env.offload.submit({ task_type: 'vision.detection', payload: { image_base64: fixtureBase64('images/dog_320x240.jpg') } }, { policy: { route: ['cpu'] } });
  expect(result.status).toBe('completed');
  const submit = exporter.getFinishedSpans().find((s) => s.name === 'offload.submit' && s.attributes['offload.task_id'] === result.task_id) as ReadableSpan;
  expect(submit).toBeDefined();
  const spans = await spansOfTrace(submit.spanContext().traceId, 'RunWorkflow:detectObjects');

  expect(chainTo(spans, 'model.detect')).toEqual([
    'offload.submit',
    'StartWorkflow:detectObjects',
    'RunWorkflow:detectObjects',
    'StartActivity:runDetectionModel',
    'RunActivity:runDetectionModel',
    'model.detect',
  ]);
  expect(parentOf(spans, 'offload.result')).toBe('offload.submit');
  const model = spans.find((s) => s.name === 'model.detect') as ReadableSpan;
  expect(model.attributes).toMatchObject({ 'offload.model': 'yolox-nano', 'offload.hardware': 'cpu' });
  const workflowSpan = spans.find((s) => s.name === 'RunWorkflow:detectObjects') as ReadableSpan;
  expect(workflowSpan.instrumentationScope.name).toBeTruthy();
  expect(workflowSpan.resource.attributes['service.name']).toBe('offload-test');
});

test('one trace for a robot message through the bridge: bus receive -> run -> model, then the delivery back to the robot', async () => {
  const broker = await RobotBroker.start();
  const config = loadConfig({
    TEMPORAL_ADDRESS: process.env.OFFLOAD_TEST_TEMPORAL_ADDRESS,
    OFFLOAD_TASK_QUEUE_PREFIX: env.config.queuePrefix,
    OFFLOAD_ROBOT_ID: 'rider-bus-trace',
    OFFLOAD_ROBOT_HOST: '127.0.0.1',
    OFFLOAD_ROBOT_PUB_PORT: String(broker.xsubPort),
    OFFLOAD_ROBOT_SUB_PORT: String(broker.xpubPort),
    OFFLOAD_DEADLINES_MS: testDeadlines(),
  });
  const bridge = new RobotBridge({
    config,
    offload: env.offload,
    connection: env.nativeConnection,
    registry: new Registry(),
    tracing: true,
    log: memoryLogger('bridge').log,
    ledgerFile: join(mkdtempSync(join(tmpdir(), 'offload-trace-bridge-')), 'delivered.log'),
  });
  let robot: RobotSimulator | undefined;
  try {
    await bridge.ready;
    robot = await RobotSimulator.connect(broker);
    const ts = Date.now() / 1000;
    await robot.publish('vision.frame.offload', { ts, frame_jpeg: fixtureBase64('images/person_320x240.jpg'), size: { w: 320, h: 240 } });
    const answer = await robot.waitFor('vision.obstacle.enhanced', (p) => (p.meta as { request_ts?: number } | undefined)?.request_ts === ts, 60_000);
    expect(answer.payload).toMatchObject({ present: expect.any(Boolean) });

    const root = exporter.getFinishedSpans().find((s) => s.name === 'robot.receive vision.frame.offload' && s.attributes['offload.robot_id'] === 'rider-bus-trace') as ReadableSpan;
    expect(root).toBeDefined();
    const spans = await spansOfTrace(root.spanContext().traceId, 'RunWorkflow:detectObjects');
    expect(chainTo(spans, 'model.detect')).toEqual([
      'robot.receive vision.frame.offload',
      'offload.submit',
      'StartWorkflow:detectObjects',
      'RunWorkflow:detectObjects',
      'StartActivity:runDetectionModel',
      'RunActivity:runDetectionModel',
      'model.detect',
    ]);
    expect(chainTo(spans, 'robot.deliver vision.obstacle.enhanced').slice(3)).toEqual([
      'RunWorkflow:detectObjects',
      'StartActivity:deliverResult',
      'RunActivity:deliverResult',
      'robot.deliver vision.obstacle.enhanced',
    ]);
  } finally {
    await robot?.close();
    await bridge.stop();
    await broker.stop();
  }
});
