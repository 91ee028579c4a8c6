import { collectDefaultMetrics, Registry } from 'prom-client';

/** The process's Prometheus registry; Offload's own series are added by the telemetry interceptors. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });
