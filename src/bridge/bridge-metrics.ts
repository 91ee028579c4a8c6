import { Counter, Histogram, type Registry } from 'prom-client';
import type { DeliveryMetrics } from '../telemetry/activity/delivery-telemetry';
import type { Logger } from '../telemetry/logger';
import type { OffloadMetrics } from '../telemetry/offload-metrics';
import type { Malformed } from './bus-message';

/**
 * The bridge's Prometheus series; drops and failed starts are also logged, throttled (one warning per
 * topic and reason every 10 s), so a flood of garbage cannot flood the log; at debug level every drop has a line.
 */
export interface BridgeMetrics extends DeliveryMetrics {
  received(topic: string): void;
  malformed(message: Malformed): void;
  submitted(taskType: string): void;
  submitFailed(taskType: string, err: unknown): void;
  superseded(): void;
  /** A `voice.asr.request` (20 ms of the robot's microphone) handed to the voice front door. */
  voiceChunk(): void;
  /** A fallback_required answer the bridge published itself, without a run. */
  answeredWithoutRun(taskType: string, reason: WithoutRunReason): void;
}

/** Why the bridge answered without a run: no live worker on the route, or the run could not be started. */
export type WithoutRunReason = 'no_live_worker' | 'not_started';

const LOG_EVERY_MS = 10_000;

/** Offload's shared series the bridge also feeds (added up across processes by the API's /metrics). */
export type SharedMetrics = Pick<OffloadMetrics, 'recordMalformedMessage'>;

export function createBridgeMetrics(registry: Registry, log: Logger, shared?: SharedMetrics): BridgeMetrics {
  const received = new Counter({ name: 'bridge_messages_received_total', help: 'Messages received from the robot bus, by request topic', labelNames: ['topic'], registers: [registry] });
  const malformed = new Counter({
    name: 'bridge_malformed_messages_total',
    help: 'Robot messages dropped because they break the protocol (not JSON, missing or wrong fields, bad base64, oversized...)',
    labelNames: ['topic', 'reason'],
    registers: [registry],
  });
  const submitted = new Counter({ name: 'bridge_tasks_submitted_total', help: 'Robot requests started as workflows', labelNames: ['task_type'], registers: [registry] });
  const submitFailures = new Counter({ name: 'bridge_submit_failures_total', help: 'Robot requests that could not be started (Temporal unreachable...)', labelNames: ['task_type'], registers: [registry] });
  const voiceChunks = new Counter({ name: 'bridge_voice_chunks_total', help: "voice.asr.request messages (20 ms of the robot's microphone) handed to the voice front door", registers: [registry] });
  const superseded = new Counter({ name: 'bridge_frames_superseded_total', help: 'Queued frames dropped because a newer frame of the same robot arrived', registers: [registry] });
  const withoutRun = new Counter({
    name: 'bridge_answered_without_run_total',
    help: 'Robot requests answered fallback_required by the bridge itself, without a run, by reason (no_live_worker, not_started)',
    labelNames: ['task_type', 'reason'],
    registers: [registry],
  });
  const deliveries = new Counter({ name: 'bridge_deliveries_total', help: 'Results handed to the bridge, by what became of them', labelNames: ['topic', 'status'], registers: [registry] });
  const latency = new Histogram({
    name: 'bridge_delivery_latency_seconds',
    help: 'From the robot request reaching the bridge to its result being published',
    labelNames: ['topic'],
    buckets: [0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10],
    registers: [registry],
  });
  const lastLogged = new Map<string, { at: number; suppressed: number }>();

  /** Writes the line unless one with this key was written less than LOG_EVERY_MS ago; says whether it wrote. */
  function throttled(key: string, write: (suppressed: number) => void): boolean {
    const now = Date.now();
    const entry = lastLogged.get(key);
    if (entry && now - entry.at < LOG_EVERY_MS) {
      entry.suppressed += 1;
      return false;
    }
    write(entry?.suppressed ?? 0);
    lastLogged.set(key, { at: now, suppressed: 0 });
    return true;
  }

  return {
    received: (topic) => received.inc({ topic }),
    malformed(message) {
      malformed.inc({ topic: message.topic, reason: message.reason });
      shared?.recordMalformedMessage('bus', message.topic);
      const fields = { topic: message.topic, reason: message.reason, detail: message.detail };
      const warned = throttled(`malformed:${message.topic}:${message.reason}`, (suppressed) =>
        log.warn({ ...fields, similarSinceLastLog: suppressed }, 'dropped a malformed robot message'),
      );
      // Each drop the warning leaves out, for whoever runs the bridge at debug level.
      if (!warned) log.debug(fields, 'dropped a malformed robot message');
    },
    submitted: (taskType) => submitted.inc({ task_type: taskType }),
    submitFailed(taskType, err) {
      submitFailures.inc({ task_type: taskType });
      throttled(`submit:${taskType}`, (suppressed) =>
        log.error({ taskType, err: err instanceof Error ? err.message : String(err), similarSinceLastLog: suppressed }, 'could not start a workflow for a robot request; answered fallback_required'),
      );
    },
    superseded: () => superseded.inc(),
    voiceChunk: () => voiceChunks.inc(),
    answeredWithoutRun(taskType, reason) {
      withoutRun.inc({ task_type: taskType, reason });
      if (reason === 'no_live_worker') {
        throttled(`without-run:${taskType}`, (suppressed) => log.warn({ taskType, similarSinceLastLog: suppressed }, 'no live worker serves the request: answered fallback_required at once, without a run'));
      }
    },
    delivered(topic, status, latencyMs) {
      deliveries.inc({ topic, status });
      if (status === 'delivered' && latencyMs !== undefined) latency.observe({ topic }, latencyMs / 1000);
    },
  };
}
