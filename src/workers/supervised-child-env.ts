import type { OffloadConfig } from '../config/load-config';

/**
 * The environment `npm start` gives every process it supervises: its own, with the Temporal
 * address it found or started and the model directory it seeded. A bridge started beside npm
 * start (another robot) gets the same settings from here.
 */
export function supervisedChildEnv(config: Pick<OffloadConfig, 'childEnv' | 'modelDir'>, temporalAddress: string): Record<string, string | undefined> {
  return { ...config.childEnv, TEMPORAL_ADDRESS: temporalAddress, OFFLOAD_MODEL_DIR: config.modelDir };
}
