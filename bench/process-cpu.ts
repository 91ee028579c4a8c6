import { readFileSync } from 'node:fs';

/** Linux clock ticks per second (USER_HZ), which /proc reports CPU time in. */
const TICKS_PER_S = 100;

/** User + system CPU time another process has used so far, in ms (Linux /proc); NaN where unreadable. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at the closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_S) * 1000;
  } catch {
    return Number.NaN;
  }
}

/** User + system CPU time of this process (all its threads) so far, in ms. */
export function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** CPU time used by this process ("workers") and by another process ("server") since the meter started. */
export interface CpuMeter {
  read(): { workers: number; server: number };
}

export function startCpuMeter(serverPid: number): CpuMeter {
  const workers = ownCpuMs();
  const server = processCpuMs(serverPid);
  return { read: () => ({ workers: ownCpuMs() - workers, server: processCpuMs(serverPid) - server }) };
}
