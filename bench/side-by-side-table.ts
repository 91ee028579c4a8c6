/** One row of the side-by-side table: a way of running the YOLOX-nano job. Figures a row has none of are left out. */
export interface SideBySideRow {
  name: string;
  /** Why the row has no figures (e.g. no redis-server to be had). */
  skipped?: string;
  p50Ms?: number;
  p99Ms?: number;
  /** p50 and p99 minus the bare loop's. */
  overheadP50Ms?: number;
  overheadP99Ms?: number;
  throughputPerS?: number;
  /** Throughput divided by the bare loop's. */
  throughputRatio?: number;
  cpuMsPerTask?: number;
  /** CPU per task minus the model's (the bare loop's CPU per task). */
  orchestrationCpuMsPerTask?: number;
  noopWfPerS?: number;
  noopCpuMsPerWf?: number;
}

const COLUMNS: Array<{ header: string; cell: (row: SideBySideRow) => string }> = [
  { header: '', cell: (row) => row.name },
  { header: 'p50 ms', cell: (row) => num(row.p50Ms) },
  { header: 'p99 ms', cell: (row) => num(row.p99Ms) },
  { header: 'overhead p50/p99 ms', cell: (row) => pair(row.overheadP50Ms, row.overheadP99Ms) },
  { header: 'tasks/s', cell: (row) => num(row.throughputPerS) },
  { header: 'x bare', cell: (row) => num(row.throughputRatio, 2) },
  { header: 'CPU ms/task', cell: (row) => num(row.cpuMsPerTask) },
  { header: 'orchestration CPU ms/task', cell: (row) => num(row.orchestrationCpuMsPerTask) },
  { header: 'no-op wf/s', cell: (row) => num(row.noopWfPerS) },
  { header: 'no-op CPU ms/wf', cell: (row) => num(row.noopCpuMsPerWf) },
];

/** The rows as a plain-text table, columns aligned, one line a row; a skipped row says why. */
export function formatSideBySideTable(rows: SideBySideRow[]): string {
  const measured = rows.filter((row) => row.skipped === undefined);
  const lines = alignColumns([COLUMNS.map((c) => c.header), ...measured.map((row) => COLUMNS.map((c) => c.cell(row)))]);
  const skipped = rows.filter((row) => row.skipped !== undefined).map((row) => `${row.name}: skipped (${row.skipped})`);
  return [...lines, ...skipped].join('\n');
}

/** Pads every cell to its column's width: the first column left-aligned, the others right-aligned. */
export function alignColumns(cells: string[][]): string[] {
  const widths = cells[0].map((_, column) => Math.max(...cells.map((row) => row[column]?.length ?? 0)));
  return cells.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd());
}

function num(value: number | undefined, digits = 1): string {
  return value === undefined || Number.isNaN(value) ? '-' : value.toFixed(digits);
}

function pair(first: number | undefined, second: number | undefined): string {
  return first === undefined && second === undefined ? '-' : `${num(first)} / ${num(second)}`;
}
