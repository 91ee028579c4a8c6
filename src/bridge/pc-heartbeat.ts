import type { Logger } from '../telemetry/logger';

export interface PcHeartbeatOptions {
  /** The robot's HTTP API, e.g. `http://rider-pi:8080`. */
  robotApiUrl: string;
  /** Where the robot reaches this PC's API. */
  baseUrl: string;
  capabilities: { get(): Promise<unknown> };
  log: Logger;
  /** Default 5000 ms, as the robot expects. */
  intervalMs?: number;
  timeoutMs?: number;
}

/** POSTs `{base_url, capabilities, timestamp}` to the robot's `/api/providers/pc-heartbeat` every 5 s; returns a stop function. */
export function startPcHeartbeat(options: PcHeartbeatOptions): () => void {
  const url = `${options.robotApiUrl.replace(/\/+$/, '')}/api/providers/pc-heartbeat`;
  let failing = false;
  const beat = async () => {
    try {
      const body = { base_url: options.baseUrl, capabilities: await options.capabilities.get(), timestamp: Date.now() / 1000 };
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 2000),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      if (failing) options.log.info({ url }, 'pc-heartbeat reaches the robot again');
      failing = false;
    } catch (err) {
      if (!failing) options.log.warn({ url, err: err instanceof Error ? err.message : String(err) }, 'pc-heartbeat did not reach the robot (will keep trying)');
      failing = true;
    }
  };
  void beat();
  const timer = setInterval(() => void beat(), options.intervalMs ?? 5000);
  return () => clearInterval(timer);
}
