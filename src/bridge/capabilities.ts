import type { Client } from '@temporalio/client';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLiveWorkerProbe, type LiveWorkerProbe } from '../client/live-workers';
import type { OffloadConfig } from '../config/load-config';
import { findRepoRoot } from '../models/model-dirs';
import type { ModelManifest } from '../models/registry/model-manifest';
import { DEFAULT_PRIORITY, HARDWARE_CLASSES, type Hardware, type TaskType } from '../shared/task-types';
import { installedModels, modelFor } from './installed-models';

export type Mode = 'pc' | 'local';

export interface DomainCapabilities {
  version: string;
  /** `pc` while at least one of the domain's features is served; `local` tells the robot to do it itself. */
  mode: Mode;
  /** The features served now. */
  features: string[];
  /** Why features are missing (no model installed, no live worker). */
  reason?: string;
  [detail: string]: unknown;
}

export interface Capabilities {
  version: string;
  vision: DomainCapabilities;
  voice: DomainCapabilities;
  text: DomainCapabilities;
  /** Live inference workers per hardware class. */
  workers: Record<Hardware, number>;
  timestamp: number;
}

export interface CapabilitiesOptions {
  workers: Pick<LiveWorkerProbe, 'liveWorkers'>;
  /** Installed models, as the workers see them. */
  installed: () => Promise<ModelManifest[]>;
  /** Hardware route per task type: a feature is served when a worker of its route is alive. */
  routes: Record<TaskType, Hardware[]>;
  /** The robot's language: a feature is served when a model speaks it (default: any model serves). */
  language?: string;
  /** Offload's version (`offload/<package version>`). */
  version: string;
  /** A probe is reused this long (default 1000 ms): the robot polls every 5 s. */
  cacheMs?: number;
  /** A probe slower than this answers "everything local" (default 1500 ms: the robot waits 2 s). */
  timeoutMs?: number;
}

const SCHEMA_VERSION = '1.0.0';

const FEATURES: Record<'vision' | 'voice' | 'text', Record<string, TaskType>> = {
  vision: { frame_offload: 'vision.frame', obstacle_enhanced: 'vision.frame', detection: 'vision.detection' },
  voice: { asr: 'voice.asr', tts: 'voice.tts' },
  text: { chat: 'text.generate', nlu: 'text.nlu' },
};

/** The body of `GET /providers/capabilities` for the robot's provider watchdog: fast (cached), never failing. */
export function createCapabilities(options: CapabilitiesOptions): { get(): Promise<Capabilities> } {
  const cacheMs = options.cacheMs ?? 1000;
  const timeoutMs = options.timeoutMs ?? 1500;
  let cached: { at: number; value: Promise<Capabilities> } | undefined;

  async function probe(): Promise<Capabilities> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer from Temporal within ${timeoutMs} ms`)), timeoutMs)));
    try {
      const [workers, models] = await Promise.race([Promise.all([options.workers.liveWorkers(), options.installed()]), timeout]);
      return describe(workers, models, options);
    } catch (err) {
      const none = Object.fromEntries(HARDWARE_CLASSES.map((hw) => [hw, 0])) as Record<Hardware, number>;
      return describe(none, [], options, `Offload cannot see its workers: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    get() {
      if (!cached || Date.now() - cached.at > cacheMs) cached = { at: Date.now(), value: probe() };
      return cached.value;
    },
  };
}

/** Whether the PC serves any domain; when it serves none the route fails the robot's poll (its only lever). */
export function servesAnything(capabilities: Capabilities): boolean {
  return capabilities.vision.mode === 'pc' || capabilities.voice.mode === 'pc' || capabilities.text.mode === 'pc';
}

function describe(workers: Record<Hardware, number>, models: ModelManifest[], options: CapabilitiesOptions, failure?: string): Capabilities {
  const model = (taskType: TaskType) => modelFor(models, taskType, options.language) ?? null;
  const served = (taskType: TaskType) => model(taskType) !== null && options.routes[taskType].some((hw) => workers[hw] > 0);
  const domain = (name: keyof typeof FEATURES, details: Record<string, unknown>): DomainCapabilities => {
    const entries = Object.entries(FEATURES[name]);
    const features = entries.filter(([, taskType]) => served(taskType)).map(([feature]) => feature);
    const missing = [...new Set(entries.filter(([, t]) => !served(t)).map(([, t]) => t))].map((t) => whyNot(t, workers, models, options));
    const reason = failure ?? (missing.length ? missing.join('; ') : undefined);
    return { version: SCHEMA_VERSION, mode: features.length > 0 ? 'pc' : 'local', features, ...(reason ? { reason } : {}), ...details };
  };
  return {
    version: options.version,
    vision: domain('vision', { frame_schema: 'vision.frame.v1', model: model('vision.frame'), priority: { frame: DEFAULT_PRIORITY['vision.frame'] } }),
    voice: domain('voice', {
      asr_model: model('voice.asr'),
      tts_model: model('voice.tts'),
      sample_rate: 16000,
      priority: { asr: DEFAULT_PRIORITY['voice.asr'], tts: DEFAULT_PRIORITY['voice.tts'] },
    }),
    text: domain('text', { model: model('text.generate'), nlu_model: model('text.nlu') }),
    workers,
    timestamp: Date.now() / 1000,
  };
}

function whyNot(taskType: TaskType, workers: Record<Hardware, number>, models: ModelManifest[], options: CapabilitiesOptions): string {
  if (modelFor(models, taskType, options.language)) return `no live ${options.routes[taskType].join(' or ')} worker for ${taskType}`;
  const inLanguage = options.language && modelFor(models, taskType) ? ` that speaks "${options.language}"` : '';
  return `no model installed for ${taskType}${inLanguage}`;
}

/** `offload/<version of the package>`. */
export function offloadVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(findRepoRoot(), 'package.json'), 'utf8')) as { version?: string };
    return `offload/${pkg.version ?? 'unknown'}`;
  } catch {
    return 'offload/unknown';
  }
}

/** The capabilities the robot polls: live workers from Temporal, installed models from the model directory. */
export function robotCapabilities(
  client: Client,
  config: Pick<OffloadConfig, 'queuePrefix' | 'routes' | 'modelDir' | 'robot'>,
  probe: Pick<CapabilitiesOptions, 'cacheMs' | 'timeoutMs'> = {},
): ReturnType<typeof createCapabilities> {
  return createCapabilities({
    workers: createLiveWorkerProbe(client, config.queuePrefix),
    installed: () => installedModels(config.modelDir),
    routes: config.routes,
    language: config.robot.language,
    version: offloadVersion(),
    ...probe,
  });
}
