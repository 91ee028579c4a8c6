import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

interface CpuTicks {
  busy: number;
  total: number;
}

/** The whole machine's CPU time so far from /proc/stat (all processes, ours or not), in clock ticks. */
function machineTicks(): CpuTicks {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const busy = user + nice + system + irq + softirq + (steal ?? 0);
  return { busy, total: busy + idle + iowait };
}

/** Cores the whole machine keeps busy from now until `read()` (0..cores). */
export function startMachineCpuMeter(): { cores: number; read(): number } {
  const cores = cpus().length;
  const start = machineTicks();
  return {
    cores,
    read() {
      const end = machineTicks();
      return ((end.busy - start.busy) / Math.max(1, end.total - start.total)) * cores;
    },
  };
}
