import type { OffloadConfig } from '../config/load-config';

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const OMITTED = new Set(['level', 'time', 'pid', 'hostname', 'name', 'component', 'msg']);

/** A child's JSON log line as one readable line (`pretty`), or as it is (`json`). */
export function formatChildLine(name: string, line: string, format: OffloadConfig['logFormat']): string {
  if (format === 'json') return line;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return `[${name}] ${line}`;
  }
  if (typeof entry !== 'object' || entry === null || !('msg' in entry)) return `[${name}] ${line}`;
  const fields = Object.entries(entry)
    .filter(([key]) => !OMITTED.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  return `[${name}] ${LEVELS[entry.level as number] ?? 'INFO'} ${entry.msg}${fields ? `  ${fields}` : ''}`;
}
