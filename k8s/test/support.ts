/**
 * Shared by the k8s/test suites: repository paths, the chart tools' environment, a cache folder,
 * and small parsers for the Dockerfile and .dockerignore.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The seven service images (DESIGN §3), one per Deployment. */
export const SERVICES = ['gateway', 'user', 'product', 'inventory', 'order', 'notification', 'ai'];

export const read = (file: string): string => readFileSync(path.join(root, file), 'utf8');

/** `${CARTWHEEL_CACHE:-~/.cache/cartwheel}/<sub>`, created. */
export function cacheDir(sub: string): string {
  const dir = path.join(process.env.CARTWHEEL_CACHE || path.join(os.homedir(), '.cache', 'cartwheel'), sub);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The `export NAME='value'` lines k8s/scripts/install-tools.sh writes to tools.env (empty if absent). */
export function toolsEnv(): Record<string, string> {
  const file = path.join(cacheDir('.'), 'tools.env');
  if (!existsSync(file)) return {};
  const env: Record<string, string> = {};
  for (const match of readFileSync(file, 'utf8').matchAll(/^export (\w+)='([^']*)'$/gm))
    env[match[1]] = match[2];
  return env;
}

/** The helm binary: tools.env's HELM, else `helm` on PATH. */
export function helmBinary(): string {
  const fromTools = toolsEnv().HELM;
  if (fromTools && existsSync(fromTools)) return fromTools;
  try {
    execFileSync('helm', ['version', '--short'], { stdio: 'ignore' });
    return 'helm';
  } catch {
    throw new Error('helm not found: run `make chart-tools` (k8s/scripts/install-tools.sh) first');
  }
}

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface Stage {
  name: string;
  base: string;
  instructions: Instruction[];
}

/** Instructions of a Dockerfile (continuations joined, comments dropped), grouped by stage. */
export function parseDockerfile(text: string): { args: Instruction[]; stages: Stage[] } {
  const instructions: Instruction[] = [];
  let buffer = '';
  let start = 0;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!buffer && (line === '' || line.startsWith('#'))) return;
    if (buffer && line.startsWith('#')) return;
    if (!buffer) start = index + 1;
    buffer += (buffer ? ' ' : '') + line.replace(/\\$/, '').trim();
    if (line.endsWith('\\')) return;
    const [keyword, ...rest] = buffer.split(/\s+/);
    instructions.push({ keyword: keyword.toUpperCase(), args: rest.join(' '), line: start });
    buffer = '';
  });
  const args: Instruction[] = [];
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const match = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!match) throw new Error(`unreadable FROM on line ${instruction.line}`);
      stages.push({ base: match[1], name: match[2] ?? String(stages.length), instructions: [] });
    } else if (stages.length === 0) {
      args.push(instruction);
    } else {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return { args, stages };
}

/** Splits `COPY [--flag=x]... src... dest` (shell form) into flags, sources and destination. */
export function parseCopy(args: string): { flags: Record<string, string>; sources: string[]; dest: string } {
  const words = args.split(/\s+/);
  const flags: Record<string, string> = {};
  while (words[0]?.startsWith('--')) {
    const [name, value = 'true'] = words.shift()!.slice(2).split('=');
    flags[name] = value;
  }
  const dest = words.pop()!;
  return { flags, sources: words, dest };
}

/** CMD/ENTRYPOINT in exec form (JSON array), or undefined for shell form. */
export function execForm(args: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && parsed.every((word) => typeof word === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** A .dockerignore matcher with Docker's rules: `*`, `**`, `?`, later `!` lines re-include. */
export function dockerignore(text: string): (file: string) => boolean {
  const rules = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const negate = line.startsWith('!');
      const pattern = path.posix.normalize((negate ? line.slice(1) : line).replace(/^\/+/, ''));
      const regex = pattern
        .split('/')
        .map((part) =>
          part === '**'
            ? '.*'
            : part
                .replace(/[.+^${}()|[\]\\]/g, '\\$&')
                .replace(/\*/g, '[^/]*')
                .replace(/\?/g, '[^/]'),
        )
        .join('/')
        .replace(/\.\*\//g, '(?:.*/)?');
      // A pattern that names a folder excludes everything below it too.
      return { negate, regex: new RegExp(`^${regex}(?:/.*)?$`) };
    });
  return (file: string) => {
    let ignored = false;
    for (const rule of rules) if (rule.regex.test(file)) ignored = !rule.negate;
    return ignored;
  };
}
