// What went wrong according to the services themselves: their error lines, counted.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The distinct error and fatal lines of every `<service>.log` in `dir` (pino JSON), counted:
 * `order ×2: insert failed — connect ECONNREFUSED 127.0.0.1:5432`. At most `limit` lines.
 */
export function errorLines(dir: string, limit = 20): string[] {
  const counts = new Map<string, number>();
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.log'))) {
    const service = file.replace(/\.log$/, '');
    for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      if (!line.startsWith('{')) continue;
      let entry: {
        level?: string | number;
        message?: string;
        msg?: string;
        err?: { message?: string; code?: string };
      };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        continue;
      }
      if (!['error', 'fatal', 50, 60].includes(entry.level ?? '')) continue;
      const cause = entry.err?.message
        ? ` — ${entry.err.message}${entry.err.code ? ` (${entry.err.code})` : ''}`
        : '';
      const key = `${service}: ${entry.message ?? entry.msg ?? '?'}${cause}`.slice(0, 300);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([key, count]) => key.replace(': ', ` ×${count}: `));
}
