import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { DeliveryStatus, TaskOutcome } from '../shared/outcome';
import { HARDWARE_CLASSES, TASK_TYPES, type Hardware, type TaskType } from '../shared/task-types';
import { BREAKER_STATE_CODE, type BreakerState } from './breaker-board';

/** Seconds: from a few ms (a 320x240 frame on a GPU) to a minute (a long generation). */
const DURATION_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Where a deadline drop happened: the ladder ran out of time, or a finished result arrived too late to deliver. */
export type DeadlineDropStage = 'ladder' | 'delivery';

export interface LlmRequest {
  /** The hardware queue (gpu/cpu) that ran the model. */
  provider: string;
  model: string;
  status: 'completed' | 'failed';
  latencySeconds?: number;
  /** Tokens by kind (`prompt`, `completion`, or `total` when the model reports one number). */
  tokens?: Partial<Record<'prompt' | 'completion' | 'total', number>>;
  /** The failure type (an `ErrorType`) for failed requests. */
  errorType?: string;
}

/** The sources of the gauges that are read when Prometheus scrapes, not when something happens. */
export interface GaugeSources {
  breakers?: () => Record<Hardware, BreakerState>;
  /** Backlog per task queue name (the server's approximate backlog count). */
  queueSizes?: () => Promise<Record<string, number>>;
  /** Hardware classes with a live, warmed-up inference worker. */
  initializedProviders?: () => Promise<Record<Hardware, boolean>>;
}

/**
 * Offload's Prometheus series. The first block keeps the names and labels of the old PC
 * (PROTOCOL.md); `provider` is always a hardware queue class (`gpu`, `cpu`).
 */
export function createOffloadMetrics(registry: Registry) {
  const registers = [registry];
  const sources: GaugeSources = {};

  const providerTasksProcessed = new Counter({
    name: 'provider_tasks_processed_total',
    help: 'Model activity executions finished on a provider (hardware queue), by task type and status (completed|failed)',
    labelNames: ['provider', 'task_type', 'status'] as const,
    registers,
  });
  const providerTaskDuration = new Histogram({
    name: 'provider_task_duration_seconds',
    help: 'Time a provider (hardware queue) spent executing a model activity, input decoding and inference included',
    labelNames: ['provider', 'task_type'] as const,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const taskQueueSize = new Gauge({
    name: 'task_queue_size',
    help: "Tasks waiting in a Temporal task queue (the server's approximate backlog count)",
    labelNames: ['queue_name'] as const,
    aggregator: 'max',
    registers,
    async collect() {
      const sizes = await readSource(sources.queueSizes);
      for (const [queue, size] of Object.entries(sizes ?? {})) this.set({ queue_name: queue }, size);
    },
  });
  const taskQueueFull = new Counter({
    name: 'task_queue_full_total',
    help: 'Ladder steps where no worker of the hardware picked the task up within its pickup timeout (the queue had no free capacity in time)',
    registers,
  });
  const breakerState = new Gauge({
    name: 'circuit_breaker_state',
    help: 'Circuit breaker of a hardware queue derived from recent ladder outcomes: 0 closed, 1 half-open, 2 open',
    labelNames: ['provider'] as const,
    aggregator: 'max',
    registers,
    collect() {
      if (!sources.breakers) return;
      for (const [provider, state] of Object.entries(sources.breakers())) this.set({ provider }, BREAKER_STATE_CODE[state]);
    },
  });
  const breakerFailures = new Counter({
    name: 'circuit_breaker_failures_total',
    help: 'Ladder steps on a hardware queue that count against its breaker (not picked up, failed, ran past the deadline)',
    labelNames: ['provider'] as const,
    registers,
  });
  const providerInitialized = new Gauge({
    name: 'provider_initialized',
    help: '1 while an inference worker of the hardware class has its models warm and polls its queue',
    labelNames: ['provider'] as const,
    aggregator: 'max',
    registers,
    async collect() {
      const providers = await readSource(sources.initializedProviders);
      for (const [provider, up] of Object.entries(providers ?? {})) this.set({ provider }, up ? 1 : 0);
    },
  });
  const cacheHits = new Counter({ name: 'cache_hits_total', help: 'Cache lookups answered from the cache', labelNames: ['cache_type'] as const, registers });
  const cacheMisses = new Counter({ name: 'cache_misses_total', help: 'Cache lookups that had to run the model', labelNames: ['cache_type'] as const, registers });
  const llmRequests = new Counter({
    name: 'llm_requests_total',
    help: 'Text generation requests that ran a language model',
    labelNames: ['provider', 'model', 'status'] as const,
    registers,
  });
  const llmTokens = new Counter({
    name: 'llm_tokens_used_total',
    help: 'Tokens used by language model requests, by token type (prompt, completion, or total when only a total is known)',
    labelNames: ['provider', 'model', 'token_type'] as const,
    registers,
  });
  const llmLatency = new Histogram({
    name: 'llm_latency_seconds',
    help: 'Language model request latency',
    labelNames: ['provider', 'model'] as const,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const llmErrors = new Counter({
    name: 'llm_errors_total',
    help: 'Language model requests that failed, by error type',
    labelNames: ['provider', 'model', 'error_type'] as const,
    registers,
  });

  const tasks = new Counter({
    name: 'offload_tasks_total',
    help: 'Tasks finished, by task type and outcome (completed, fallback = the robot must do it, superseded by a newer frame, invalid, failed)',
    labelNames: ['task_type', 'outcome'] as const,
    registers,
  });
  const taskLatency = new Histogram({
    name: 'offload_task_latency_seconds',
    help: 'End-to-end task time from the start of its run to its result (the processing_time_ms the robot gets)',
    labelNames: ['task_type', 'outcome'] as const,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const degradationSteps = new Counter({
    name: 'offload_degradation_steps_total',
    help: 'Steps down the degradation ladder (from a hardware to the next hardware or to the robot), by reason',
    labelNames: ['task_type', 'from', 'to', 'reason'] as const,
    registers,
  });
  const deadlineDrops = new Counter({
    name: 'offload_deadline_drops_total',
    help: 'Tasks whose deadline ran out: in the ladder (answered with fallback_required) or at delivery (a stale result not sent)',
    labelNames: ['task_type', 'stage'] as const,
    registers,
  });
  const deliveries = new Counter({
    name: 'offload_deliveries_total',
    help: 'Results of bridge-started runs handed back to the robot, by status (delivered, stale, superseded, undelivered)',
    labelNames: ['task_type', 'status'] as const,
    registers,
  });
  const malformedMessages = new Counter({
    name: 'offload_malformed_messages_total',
    help: 'Robot requests rejected as malformed (bad JSON, missing or wrong fields), by source (bus, http) and topic or route',
    labelNames: ['source', 'topic'] as const,
    registers,
  });
  const tasksSubmitted = new Counter({
    name: 'offload_tasks_submitted_total',
    help: 'Task workflows started (or joined, for a known task id) by this process',
    labelNames: ['task_type'] as const,
    registers,
  });

  for (const provider of HARDWARE_CLASSES) breakerFailures.inc({ provider }, 0);
  for (const task_type of TASK_TYPES) for (const stage of ['ladder', 'delivery']) deadlineDrops.inc({ task_type, stage }, 0);
  taskQueueFull.inc(0);

  return {
    registry,
    providerTasksProcessed,
    providerTaskDuration,
    taskQueueSize,
    taskQueueFull,
    breakerState,
    breakerFailures,
    providerInitialized,
    cacheHits,
    cacheMisses,
    llmRequests,
    llmTokens,
    llmLatency,
    llmErrors,
    tasks,
    taskLatency,
    degradationSteps,
    deadlineDrops,
    deliveries,
    malformedMessages,
    tasksSubmitted,

    /** Wires the scrape-time gauges to where their values live (only the processes that know them). */
    setGaugeSources(next: GaugeSources): void {
      Object.assign(sources, next);
    },

    /** A cache lookup (`cacheType` e.g. `text_generation`); for model layers that keep a cache. */
    recordCacheLookup(cacheType: string, hit: boolean): void {
      (hit ? cacheHits : cacheMisses).inc({ cache_type: cacheType });
    },

    /** One language model request; the inference workers call it for every `text.generate` activity. */
    recordLlmRequest(request: LlmRequest): void {
      const { provider, model } = request;
      llmRequests.inc({ provider, model, status: request.status });
      if (request.latencySeconds !== undefined) llmLatency.observe({ provider, model }, request.latencySeconds);
      for (const [token_type, count] of Object.entries(request.tokens ?? {})) {
        if (count !== undefined && count > 0) llmTokens.inc({ provider, model, token_type }, count);
      }
      if (request.status === 'failed') llmErrors.inc({ provider, model, error_type: request.errorType ?? 'unknown' });
    },

    /** A robot message or HTTP request rejected as malformed; the robot bridge calls it. */
    recordMalformedMessage(source: 'bus' | 'http', topic: string): void {
      malformedMessages.inc({ source, topic });
    },

    /** A finished task, counted and timed by outcome (the workflow worker, from its sink reports). */
    recordTaskFinished(taskType: TaskType, outcome: TaskOutcome, seconds: number): void {
      tasks.inc({ task_type: taskType, outcome });
      taskLatency.observe({ task_type: taskType, outcome }, seconds);
    },

    /** What became of a bridge-started run's result (the workflow worker, from its sink reports). */
    recordDelivery(taskType: TaskType, status: DeliveryStatus): void {
      deliveries.inc({ task_type: taskType, status });
    },

    /** A task dropped because its deadline passed (the workflow worker records both stages from the run's result). */
    recordDeadlineDrop(taskType: TaskType, stage: DeadlineDropStage): void {
      deadlineDrops.inc({ task_type: taskType, stage });
    },
  };
}

export type OffloadMetrics = ReturnType<typeof createOffloadMetrics>;

/** A scrape-time source; when it fails (Temporal unreachable) the gauge keeps its last values. */
async function readSource<T>(source: (() => Promise<T>) | undefined): Promise<T | undefined> {
  try {
    return await source?.();
  } catch {
    return undefined;
  }
}

/** Every Offload series (the names the tests and the ops assets rely on). */
export const OFFLOAD_SERIES = [
  'provider_tasks_processed_total',
  'provider_task_duration_seconds',
  'task_queue_size',
  'task_queue_full_total',
  'circuit_breaker_state',
  'circuit_breaker_failures_total',
  'provider_initialized',
  'cache_hits_total',
  'cache_misses_total',
  'llm_requests_total',
  'llm_tokens_used_total',
  'llm_latency_seconds',
  'llm_errors_total',
  'offload_tasks_total',
  'offload_task_latency_seconds',
  'offload_degradation_steps_total',
  'offload_deadline_drops_total',
  'offload_deliveries_total',
  'offload_malformed_messages_total',
  'offload_tasks_submitted_total',
] as const;
