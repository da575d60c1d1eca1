// A hand-written SVG of the platform-load report (no plotting library): latency percentiles per
// operation (log scale) and answers per second over the run, per operation and in total.
import { MIX, type PlatformLoadReport } from '../platform-load.bench.js';

const WIDTH = 960;
const LEFT = 70;
const RIGHT = 180;
const PLOT_WIDTH = WIDTH - LEFT - RIGHT;
const PERCENTILES = [
  ['p50', '#4e79a7'],
  ['p95', '#f28e2b'],
  ['p99', '#e15759'],
] as const;
const OP_COLOURS: Record<string, string> = {
  browse: '#4e79a7',
  search: '#59a14f',
  detail: '#b8860b',
  'place order': '#e15759',
  'order history': '#b07aa1',
};

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const text = (x: number, y: number, content: string, attrs = '') =>
  `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${escape(content)}</text>`;
const line = (x1: number, y1: number, x2: number, y2: number, attrs: string) =>
  `<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" ${attrs}/>`;

/** Grouped bars of p50/p95/p99 per operation on a log10 axis from 1 ms to the next power of ten above the max. */
function latencyPanel(report: PlatformLoadReport, top: number, height: number): string[] {
  const ops = report.operations.filter((op) => op.count > 0);
  const highest = Math.max(10, ...ops.map((op) => op.p99));
  const decades = Math.ceil(Math.log10(highest));
  const y = (ms: number) => top + height - (Math.log10(Math.max(1, ms)) / decades) * height;
  const parts = [
    text(LEFT, top - 12, 'Latency per operation (ms, log scale; successful answers)', 'class="h"'),
  ];
  for (let d = 0; d <= decades; d++) {
    const value = 10 ** d;
    parts.push(line(LEFT, y(value), LEFT + PLOT_WIDTH, y(value), 'class="grid"'));
    parts.push(text(LEFT - 8, y(value) + 4, value.toLocaleString('en-US'), 'text-anchor="end"'));
  }
  const group = PLOT_WIDTH / Math.max(1, ops.length);
  const bar = Math.min(36, (group * 0.7) / PERCENTILES.length);
  ops.forEach((op, i) => {
    const start = LEFT + i * group + (group - bar * PERCENTILES.length) / 2;
    PERCENTILES.forEach(([key, colour], j) => {
      const value = op[key];
      const x = start + j * bar;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y(value).toFixed(1)}" width="${(bar - 2).toFixed(1)}" height="${(top + height - y(value)).toFixed(1)}" fill="${colour}"><title>${escape(`${op.op} ${key} ${value} ms`)}</title></rect>`,
      );
      parts.push(
        text(x + bar / 2 - 1, y(value) - 3, String(Math.round(value)), 'class="v" text-anchor="middle"'),
      );
    });
    parts.push(text(LEFT + i * group + group / 2, top + height + 16, op.op, 'text-anchor="middle"'));
    parts.push(
      text(
        LEFT + i * group + group / 2,
        top + height + 30,
        `${op.perSecond} req/s`,
        'class="v" text-anchor="middle"',
      ),
    );
  });
  PERCENTILES.forEach(([key, colour], j) => {
    parts.push(
      `<rect x="${LEFT + PLOT_WIDTH + 20}" y="${top + j * 20}" width="12" height="12" fill="${colour}"/>`,
    );
    parts.push(text(LEFT + PLOT_WIDTH + 38, top + j * 20 + 10, key));
  });
  return parts;
}

/** Answers per second: one line per operation, the total, and non-2xx/3xx answers (409 sold-out excluded). */
function throughputPanel(report: PlatformLoadReport, top: number, height: number): string[] {
  const seconds = report.timeline.length;
  const highest = Math.max(1, ...report.timeline.map((b) => b.total));
  const step = 10 ** Math.floor(Math.log10(highest));
  const ceiling = Math.ceil(highest / step) * step;
  const x = (second: number) => LEFT + (second / Math.max(1, seconds - 1)) * PLOT_WIDTH;
  const y = (value: number) => top + height - (value / ceiling) * height;
  const parts = [text(LEFT, top - 12, 'Answers per second over the measured run', 'class="h"')];
  for (let value = 0; value <= ceiling; value += step) {
    parts.push(line(LEFT, y(value), LEFT + PLOT_WIDTH, y(value), 'class="grid"'));
    parts.push(text(LEFT - 8, y(value) + 4, String(value), 'text-anchor="end"'));
  }
  for (let second = 0; second < seconds; second += 5) {
    parts.push(text(x(second), top + height + 16, `${second} s`, 'text-anchor="middle"'));
  }
  const series: Array<[string, string, (b: PlatformLoadReport['timeline'][number]) => number, string]> = [
    ['total', '#333333', (b) => b.total, 'stroke-width="2.5"'],
    ...Object.entries(OP_COLOURS).map(
      ([op, colour]) =>
        [
          op,
          colour,
          (b: PlatformLoadReport['timeline'][number]) => b.byOp[op] ?? 0,
          'stroke-width="1.5"',
        ] as [string, string, (b: PlatformLoadReport['timeline'][number]) => number, string],
    ),
    ['errors', '#d62728', (b) => b.errors, 'stroke-width="1.5" stroke-dasharray="4 3"'],
  ];
  series.forEach(([name, colour, value, attrs], i) => {
    const points = report.timeline
      .map((b) => `${x(b.second).toFixed(1)},${y(value(b)).toFixed(1)}`)
      .join(' ');
    parts.push(`<polyline fill="none" stroke="${colour}" ${attrs} points="${points}"/>`);
    parts.push(
      line(
        LEFT + PLOT_WIDTH + 20,
        top + i * 20 + 6,
        LEFT + PLOT_WIDTH + 34,
        top + i * 20 + 6,
        `stroke="${colour}" ${attrs}`,
      ),
    );
    parts.push(text(LEFT + PLOT_WIDTH + 40, top + i * 20 + 10, name));
  });
  return parts;
}

/** Mean CPU per process as horizontal bars (100 % = one core), the max as a tick, RSS as a label. */
function resourcePanel(report: PlatformLoadReport, top: number): string[] {
  const rows = [...report.resources].sort((a, b) => b.cpuMeanPercent - a.cpuMeanPercent);
  const ceiling = Math.max(100, ...rows.map((r) => r.cpuMaxPercent));
  const labelWidth = 150;
  const width = PLOT_WIDTH - labelWidth;
  const x = (percent: number) => LEFT + labelWidth + (percent / ceiling) * width;
  const parts = [
    text(
      LEFT,
      top - 12,
      'CPU per process over the measured run (mean bar, max tick; 100 % = one core)',
      'class="h"',
    ),
  ];
  rows.forEach((row, i) => {
    const y = top + i * 18;
    parts.push(text(LEFT + labelWidth - 8, y + 11, row.name, 'text-anchor="end"'));
    parts.push(
      `<rect x="${x(0).toFixed(1)}" y="${y}" width="${(x(row.cpuMeanPercent) - x(0)).toFixed(1)}" height="13" fill="#4e79a7"/>`,
    );
    parts.push(
      line(x(row.cpuMaxPercent), y - 1, x(row.cpuMaxPercent), y + 14, 'stroke="#e15759" stroke-width="2"'),
    );
    parts.push(
      text(
        Math.max(x(row.cpuMaxPercent), x(row.cpuMeanPercent)) + 6,
        y + 11,
        `${row.cpuMeanPercent} % (max ${row.cpuMaxPercent} %), ${row.rssMaxMb} MB`,
        'class="v"',
      ),
    );
  });
  return parts;
}

/** The whole figure as an SVG document. */
export function renderPlot(report: PlatformLoadReport): string {
  const height = 790 + report.resources.length * 18;
  const o = report.options;
  const subtitle =
    `${report.at.slice(0, 16).replace('T', ' ')} UTC · ${report.machine} · load average ${report.loadAverage.before} → ${report.loadAverage.after} · ` +
    `${o.connections} connections, ${o.durationSec} s · ${report.totals.perSecond} req/s in total`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    '<style>.h{font-size:14px;font-weight:bold}.v{font-size:10px;fill:#444}.grid{stroke:#ddd;stroke-width:1}</style>',
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    text(
      LEFT,
      28,
      `Cartwheel platform load: ${Object.entries(MIX)
        .map(([op, share]) => `${op} ${share} %`)
        .join(', ')}`,
      'class="h"',
    ),
    text(LEFT, 46, subtitle, 'class="v"'),
    ...latencyPanel(report, 90, 260),
    ...throughputPanel(report, 440, 260),
    ...resourcePanel(report, 770),
    '</svg>',
    '',
  ].join('\n');
}
