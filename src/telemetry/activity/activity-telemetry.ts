import { performance } from 'node:perf_hooks';
import type { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, ActivityInterceptorsFactory, Next } from '@temporalio/worker';
import type { GenerationResult } from '../../shared/model-results';
import type { ModelActivityInput, ModelRun } from '../../shared/model-run';
import type { Hardware } from '../../shared/task-types';
import type { Logger } from '../logger';
import type { OffloadMetrics } from '../offload-metrics';

export interface ActivityTelemetryDeps {
  metrics: OffloadMetrics;
  log: Logger;
  /** The hardware class of this worker (the `provider` label). */
  hardware: Hardware;
  /** Log the task payload and the model's result too (default false: ids and timings only). */
  logPayloads?: boolean;
}

/** Cache type of the text-generation cache, as read from `GenerationResult.from_cache`. */
export const TEXT_GENERATION_CACHE = 'text_generation';

/**
 * Provider series, LLM and cache series and one structured log line per model activity, read from
 * the activity's input envelope and its ModelRun result: the activity code itself records nothing.
 */
export function activityTelemetryInterceptors(deps: ActivityTelemetryDeps): ActivityInterceptorsFactory {
  deps.metrics.cacheHits.inc({ cache_type: TEXT_GENERATION_CACHE }, 0);
  deps.metrics.cacheMisses.inc({ cache_type: TEXT_GENERATION_CACHE }, 0);
  return (ctx) => ({ inbound: new ModelActivityTelemetry(ctx, deps) });
}

class ModelActivityTelemetry implements ActivityInboundCallsInterceptor {
  constructor(
    private readonly ctx: Context,
    private readonly deps: ActivityTelemetryDeps,
  ) {}

  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const envelope = (input.args[0] as Partial<ModelActivityInput> | undefined)?.envelope;
    if (!envelope?.task_type) return next(input);
    const { metrics, hardware: provider } = this.deps;
    const task_type = envelope.task_type;
    const info = this.ctx.info;
    const fields = {
      task_id: envelope.task_id,
      workflow_id: info.workflowExecution?.workflowId,
      run_id: info.workflowExecution?.runId,
      robot_id: envelope.meta?.robot_id,
      task_type,
      activity: info.activityType,
      hardware: provider,
      attempt: info.attempt,
      ...(this.deps.logPayloads ? { payload: envelope.payload } : {}),
    };
    const started = performance.now();
    try {
      const run = (await next(input)) as ModelRun;
      const seconds = (performance.now() - started) / 1000;
      metrics.providerTasksProcessed.inc({ provider, task_type, status: 'completed' });
      metrics.providerTaskDuration.observe({ provider, task_type }, seconds);
      if (task_type === 'text.generate') this.recordGeneration(run as ModelRun<GenerationResult>, seconds);
      this.deps.log.info(
        { ...fields, model: run.model?.id, duration_ms: Math.round(seconds * 1000), timings: run.timings, ...(this.deps.logPayloads ? { result: run.result } : {}) },
        'model activity completed',
      );
      return run;
    } catch (err) {
      const seconds = (performance.now() - started) / 1000;
      const errorType = err instanceof ApplicationFailure ? (err.type ?? 'ApplicationFailure') : err instanceof Error ? err.name : 'unknown';
      metrics.providerTasksProcessed.inc({ provider, task_type, status: 'failed' });
      metrics.providerTaskDuration.observe({ provider, task_type }, seconds);
      if (task_type === 'text.generate') {
        metrics.recordLlmRequest({ provider, model: 'unknown', status: 'failed', latencySeconds: seconds, errorType });
      }
      this.deps.log.warn({ ...fields, duration_ms: Math.round(seconds * 1000), error_type: errorType, error: err instanceof Error ? err.message : String(err) }, 'model activity failed');
      throw err;
    }
  }

  private recordGeneration(run: ModelRun<GenerationResult>, seconds: number): void {
    const { metrics, hardware: provider } = this.deps;
    const fromCache = run.result?.from_cache === true;
    metrics.recordCacheLookup(TEXT_GENERATION_CACHE, fromCache);
    if (fromCache) return;
    metrics.recordLlmRequest({
      provider,
      model: run.model?.id ?? 'unknown',
      status: 'completed',
      latencySeconds: seconds,
      tokens: { total: run.result?.tokens_used ?? 0 },
    });
  }
}
