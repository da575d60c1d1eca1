import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

import { chartsDir, serviceCharts } from './support/tools.js';

/** Files a chart package holds: relative path → content; nested chart archives expanded under charts/<name>/. */
function archiveFiles(tgz: string): Map<string, string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cartwheel-vendored-'));
  execFileSync('tar', ['-xzf', tgz, '-C', dir]);
  const [root] = readdirSync(dir);
  return folderFiles(path.join(dir, root), []);
}

/** Files of a chart folder as Helm packages it (the .helmignore patterns these charts use, vendored archives expanded). */
function folderFiles(dir: string, ignored: string[]): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (relative: string) => {
    for (const entry of readdirSync(path.join(dir, relative))) {
      const rel = path.posix.join(relative, entry);
      const full = path.join(dir, rel);
      if (ignored.some((pattern) => rel === pattern || rel.startsWith(`${pattern}/`))) continue;
      if (statSync(full).isDirectory()) walk(rel);
      else if (relative === 'charts' && entry.endsWith('.tgz')) {
        for (const [nested, content] of archiveFiles(full)) {
          files.set(`charts/${entry.replace(/-\d+\.\d+\.\d+\.tgz$/, '')}/${nested}`, content);
        }
      } else files.set(rel, readFileSync(full, 'utf8'));
    }
  };
  walk('');
  return files;
}

const helmignored = (dir: string) =>
  existsSync(path.join(dir, '.helmignore'))
    ? readFileSync(path.join(dir, '.helmignore'), 'utf8')
        .split('\n')
        .map((l) => l.trim().replace(/\/$/, ''))
        .filter((l) => l && !l.startsWith('#') && !l.includes('*'))
    : [];

/** JSON with object keys sorted, so two YAML documents compare as data. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

/** Differences between a package and its source (Chart.yaml compared as data: Helm rewrites it). */
function differences(packaged: Map<string, string>, source: Map<string, string>): string[] {
  const out: string[] = [];
  for (const file of new Set([...packaged.keys(), ...source.keys()])) {
    const a = packaged.get(file);
    const b = source.get(file);
    if (a === undefined) out.push(`${file}: not in the vendored archive`);
    else if (b === undefined) out.push(`${file}: only in the vendored archive`);
    else if (file.endsWith('Chart.yaml') ? canonical(parse(a)) !== canonical(parse(b)) : a !== b) {
      out.push(`${file}: differs`);
    }
  }
  return out;
}

interface Dependency {
  name: string;
  version: string;
  repository: string;
}

describe('vendored chart dependencies (charts/vendor.sh)', function () {
  this.timeout(60_000);

  for (const chart of [...serviceCharts, 'cartwheel-lib/test-chart', 'cartwheel']) {
    it(`when ${chart}'s dependencies are compared with their sources, then the committed archives are up to date`, () => {
      const dir = path.join(chartsDir, chart);
      const { dependencies } = parse(readFileSync(path.join(dir, 'Chart.yaml'), 'utf8')) as {
        dependencies: Dependency[];
      };
      const archives = readdirSync(path.join(dir, 'charts')).sort();
      expect(archives).to.deep.equal(dependencies.map((d) => `${d.name}-${d.version}.tgz`).sort());
      for (const dependency of dependencies) {
        const sourceDir = path.resolve(dir, dependency.repository.replace(/^file:\/\//, ''));
        const stale = differences(
          archiveFiles(path.join(dir, 'charts', `${dependency.name}-${dependency.version}.tgz`)),
          folderFiles(sourceDir, helmignored(sourceDir)),
        );
        expect(stale, `${chart} → ${dependency.name}: run charts/vendor.sh`).to.deep.equal([]);
      }
    });
  }
});
