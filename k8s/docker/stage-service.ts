/**
 * Assembles what one service's production image holds, used by the Dockerfile's `assemble`
 * stage: `node --import tsx k8s/docker/stage-service.ts <service> <out>`.
 *
 * The service's workspace and every workspace it depends on at run time (through
 * `dependencies`, transitively) are copied into `<out>/services/<name>`: their package.json and
 * what their `files` field names (dist, migrations), without tsbuildinfo files. `<out>/node_modules`
 * (from `npm ci --omit=dev --workspace services/<service>`) keeps links only to those workspaces.
 */
import { cpSync, existsSync, lstatSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const SCOPE = '@cartwheel/';

interface PackageJson {
  name: string;
  workspaces?: string[];
  files?: string[];
  dependencies?: Record<string, string>;
}

const readPackage = (dir: string): PackageJson =>
  JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageJson;

/** Workspace folders (relative to `root`) by package name, from the root package.json. */
export function workspacesByName(root: string): Map<string, string> {
  const byName = new Map<string, string>();
  for (const dir of readPackage(root).workspaces ?? []) byName.set(readPackage(path.join(root, dir)).name, dir);
  return byName;
}

/**
 * The workspace folders a service needs at run time, itself first: its `@cartwheel/*`
 * production dependencies, transitively (devDependencies never count).
 *
 * @example runtimeWorkspaces('/app', 'gateway') // ['services/gateway', 'services/kit', 'services/web']
 */
export function runtimeWorkspaces(root: string, service: string): string[] {
  const byName = workspacesByName(root);
  const start = `services/${service}`;
  if (![...byName.values()].includes(start)) throw new Error(`${start} is not a workspace of ${root}`);
  const seen: string[] = [];
  const visit = (dir: string): void => {
    if (seen.includes(dir)) return;
    seen.push(dir);
    for (const dependency of Object.keys(readPackage(path.join(root, dir)).dependencies ?? {})) {
      if (!dependency.startsWith(SCOPE)) continue;
      const target = byName.get(dependency);
      if (!target) throw new Error(`${dir} depends on ${dependency}, which is not a workspace`);
      visit(target);
    }
  };
  visit(start);
  return seen;
}

/** Paths (relative to `root`) copied for one workspace: package.json and its existing `files`. */
export function workspaceFiles(root: string, dir: string): string[] {
  const files = readPackage(path.join(root, dir)).files ?? ['dist'];
  return ['package.json', ...files]
    .map((file) => path.posix.join(dir, file))
    .filter((file) => existsSync(path.join(root, file)));
}

/** Copies the service's runtime workspaces into `out` and prunes `out/node_modules/@cartwheel`. */
export function stageService(root: string, service: string, out: string): string[] {
  const workspaces = runtimeWorkspaces(root, service);
  const main = path.join(root, 'services', service, 'dist', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: build first (npm run build)`);
  const copied = workspaces.flatMap((dir) => workspaceFiles(root, dir));
  for (const file of copied) {
    cpSync(path.join(root, file), path.join(out, file), {
      recursive: true,
      filter: (source) => !source.endsWith('.tsbuildinfo'),
    });
  }
  const links = path.join(out, 'node_modules', '@cartwheel');
  const wanted = new Set(workspaces.map((dir) => readPackage(path.join(root, dir)).name.slice(SCOPE.length)));
  if (existsSync(links)) {
    for (const entry of readdirSync(links)) {
      // npm links every workspace the lockfile mentions; a link to one we do not ship would dangle.
      if (!wanted.has(entry) && lstatSync(path.join(links, entry)).isSymbolicLink()) {
        rmSync(path.join(links, entry));
      }
    }
  }
  return copied;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [service, out] = process.argv.slice(2);
  if (!service || !out) {
    process.stderr.write('usage: node --import tsx k8s/docker/stage-service.ts <service> <out-dir>\n');
    process.exit(2);
  }
  const copied = stageService(process.cwd(), service, path.resolve(out));
  process.stdout.write(`staged ${service}: ${copied.join(', ')}\n`);
}
