import { z } from 'zod';
import { DEFAULT_QUEUE_PREFIX } from '../shared/queues';
import { HARDWARE_CLASSES, TASK_TYPES, type Hardware, type TaskType } from '../shared/task-types';
import { DEFAULT_DEADLINES_MS, DEFAULT_ROUTES } from './defaults';

const hardware = z.enum(HARDWARE_CLASSES);
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

/** Parses "vision.detection=gpu>cpu,voice.tts=cpu" into per-task-type routes. */
const routes = z.string().transform((text, ctx) => {
  const parsed: Partial<Record<TaskType, Hardware[]>> = {};
  for (const entry of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [taskType, chain] = entry.split('=');
    const steps = (chain ?? '').split('>').map((s) => s.trim());
    if (!(TASK_TYPES as readonly string[]).includes(taskType) || steps.some((s) => !hardware.safeParse(s).success)) {
      ctx.addIssue({ code: 'custom', message: `"${entry}" is not <task-type>=<hw>[><hw>] with hw in ${HARDWARE_CLASSES.join('|')}` });
      return z.NEVER;
    }
    parsed[taskType as TaskType] = steps as Hardware[];
  }
  return parsed;
});

/** Parses "vision.frame=1000,voice.asr=5000" into per-task-type deadlines in ms. */
const deadlines = z.string().transform((text, ctx) => {
  const parsed: Partial<Record<TaskType, number>> = {};
  for (const entry of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [taskType, ms] = entry.split('=');
    const value = Number(ms);
    if (!(TASK_TYPES as readonly string[]).includes(taskType) || !Number.isInteger(value) || value <= 0) {
      ctx.addIssue({ code: 'custom', message: `"${entry}" is not <task-type>=<milliseconds>` });
      return z.NEVER;
    }
    parsed[taskType as TaskType] = value;
  }
  return parsed;
});

const envSchema = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  OFFLOAD_TASK_QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]+$/).default(DEFAULT_QUEUE_PREFIX),
  OFFLOAD_API_HOST: z.string().min(1).default('0.0.0.0'),
  OFFLOAD_API_PORT: port.default(8000),
  OFFLOAD_ROBOT_HOST: z.string().min(1).default('127.0.0.1'),
  OFFLOAD_MODEL_DIR: z.string().min(1).optional(),
  OFFLOAD_HARDWARE: hardware.default('cpu'),
  OFFLOAD_EXECUTION_PROVIDER: z.enum(['auto', 'cpu', 'cuda']).default('auto'),
  OFFLOAD_INTRA_OP_THREADS: positiveInt.default(1),
  OFFLOAD_WORKER_SLOTS: positiveInt.default(2),
  OFFLOAD_ROUTES: routes.default(''),
  OFFLOAD_DEADLINES_MS: deadlines.default(''),
  OFFLOAD_PICKUP_TIMEOUT_MS: positiveInt.default(3000),
  OFFLOAD_ATTEMPTS_PER_HARDWARE: positiveInt.default(2),
  OFFLOAD_MAX_PAYLOAD_BYTES: positiveInt.default(1024 * 1024),
  OFFLOAD_DATA_DIR: z.string().min(1).optional(),
  OFFLOAD_TEMPORAL_PORT: port.default(7233),
  OFFLOAD_TEMPORAL_UI_PORT: port.default(8233),
  OFFLOAD_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
});

export interface OffloadConfig {
  /** Temporal frontend; unset means `npm start` runs its own dev server. */
  temporalAddress?: string;
  namespace: string;
  queuePrefix: string;
  apiHost: string;
  apiPort: number;
  robotHost: string;
  modelDir?: string;
  hardware: Hardware;
  executionProvider: 'auto' | 'cpu' | 'cuda';
  intraOpThreads: number;
  workerSlots: number;
  routes: Record<TaskType, Hardware[]>;
  deadlinesMs: Record<TaskType, number>;
  pickupTimeoutMs: number;
  attemptsPerHardware: number;
  maxPayloadBytes: number;
  dataDir?: string;
  devServerPort: number;
  devServerUiPort: number;
  logLevel: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads Offload's settings from the environment; a bad value throws naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): OffloadConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return {
    temporalAddress: e.TEMPORAL_ADDRESS,
    namespace: e.TEMPORAL_NAMESPACE,
    queuePrefix: e.OFFLOAD_TASK_QUEUE_PREFIX,
    apiHost: e.OFFLOAD_API_HOST,
    apiPort: e.OFFLOAD_API_PORT,
    robotHost: e.OFFLOAD_ROBOT_HOST,
    modelDir: e.OFFLOAD_MODEL_DIR,
    hardware: e.OFFLOAD_HARDWARE,
    executionProvider: e.OFFLOAD_EXECUTION_PROVIDER,
    intraOpThreads: e.OFFLOAD_INTRA_OP_THREADS,
    workerSlots: e.OFFLOAD_WORKER_SLOTS,
    routes: { ...DEFAULT_ROUTES, ...e.OFFLOAD_ROUTES },
    deadlinesMs: { ...DEFAULT_DEADLINES_MS, ...e.OFFLOAD_DEADLINES_MS },
    pickupTimeoutMs: e.OFFLOAD_PICKUP_TIMEOUT_MS,
    attemptsPerHardware: e.OFFLOAD_ATTEMPTS_PER_HARDWARE,
    maxPayloadBytes: e.OFFLOAD_MAX_PAYLOAD_BYTES,
    dataDir: e.OFFLOAD_DATA_DIR,
    devServerPort: e.OFFLOAD_TEMPORAL_PORT,
    devServerUiPort: e.OFFLOAD_TEMPORAL_UI_PORT,
    logLevel: e.OFFLOAD_LOG_LEVEL,
  };
}
