import { processCpuMs, ownCpuMs } from './process-cpu';
import { processName, processTree } from './process-tree';

/** What this bench process itself runs: the simulated robots and their brokers. */
export const BENCH_PROCESS = 'bench (robot simulators, brokers)';

/**
 * Cores each process keeps busy from now until `read()`: every process below each root (as they
 * were when the meter started, by command name, summed when names repeat; a root may be named
 * instead) and this one.
 */
export function startProcessCpuMeter(roots: Array<{ pid: number; name?: string }>): { read(): Record<string, number> } {
  const started = performance.now();
  const ownAtStart = ownCpuMs();
  const processes = roots.flatMap(({ pid: root, name }) =>
    processTree(root).map((pid) => ({ pid, name: pid === root && name ? name : processName(pid), cpuAtStart: processCpuMs(pid) })),
  );
  return {
    read() {
      const windowMs = performance.now() - started;
      const cores: Record<string, number> = { [BENCH_PROCESS]: (ownCpuMs() - ownAtStart) / windowMs };
      for (const { pid, name, cpuAtStart } of processes) {
        const used = processCpuMs(pid) - cpuAtStart;
        if (!Number.isNaN(used)) cores[name] = (cores[name] ?? 0) + used / windowMs;
      }
      return cores;
    },
  };
}
