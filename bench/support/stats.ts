// Small figures helpers shared by the benches and the fault scripts: percentiles, summaries,
// plain-text tables and the machine's load average (recorded next to every figure).
import os from 'node:os';

/** The value at `fraction` (0.5 = median) of an ascending array (nearest rank); NaN when empty. */
export const percentile = (sorted: ArrayLike<number>, fraction: number): number =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** p50/p95/p99/max of latencies in ms (rounded to 0.1 ms). */
export function summarise(values: number[]): LatencySummary {
  const sorted = Float64Array.from(values).sort();
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 0.5)),
    p95: round(percentile(sorted, 0.95)),
    p99: round(percentile(sorted, 0.99)),
    max: round(sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1]),
  };
}

/** `{ "201": 3, "409": 1 }` → `201×3 409×1`. */
export const statusText = (counts: Record<string, number>): string =>
  Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, count]) => `${status}×${count}`)
    .join(' ') || '–';

/** Adds one to `counts[key]`. */
export function countInto(counts: Record<string, number>, key: string | number): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/**
 * Rows as an aligned text table (first row = header); columns listed in `right` are right-aligned.
 *
 * @example console.log(formatTable([['op', 'p50'], ['browse', '12.0']], [1]));
 */
export function formatTable(rows: string[][], right: number[] = []): string {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, col) => (right.includes(col) ? cell.padStart(widths[col]) : cell.padEnd(widths[col])))
      .join(' | ')
      .trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.slice(1).map(line)].join('\n');
}

/** The 1/5/15-minute load averages, e.g. `9.12 / 8.40 / 7.95`: other engineers share these cores. */
export const loadAverage = (): string =>
  os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ');

/** Machine line printed with every report: cores, CPU model, memory. */
export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} cores (${cpus[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}`;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
