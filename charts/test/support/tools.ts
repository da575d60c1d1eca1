import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

/** The repository's charts/ folder. */
export const chartsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const umbrellaDir = path.join(chartsDir, 'cartwheel');
export const serviceCharts = ['gateway', 'user', 'product', 'inventory', 'order', 'notification', 'ai'];

/** Paths written by k8s/scripts/install-tools.sh (`make chart-tools`). */
export interface ChartTools {
  helm: string;
  helm4: string;
  helm4Unavailable: string;
  helmUnittest: string;
  kubeconform: string;
  kubeVersion: string;
  kubeSchemaDir: string;
  crdDir: string;
}

let cached: ChartTools | undefined;

/** Reads `${CARTWHEEL_CACHE:-~/.cache/cartwheel}/tools.env`; fails with the command to run when it is missing. */
export function chartTools(): ChartTools {
  if (cached) return cached;
  const cache = process.env.CARTWHEEL_CACHE || path.join(homedir(), '.cache', 'cartwheel');
  const file = path.join(cache, 'tools.env');
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`make chart-tools\` first`);
  const vars = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^export ([A-Z0-9_]+)='(.*)'$/.exec(line.trim());
    if (match) vars.set(match[1], match[2]);
  }
  const need = (name: string) => {
    const value = vars.get(name);
    if (!value) throw new Error(`${file} has no ${name}: run \`make chart-tools\` again`);
    return value;
  };
  cached = {
    helm: need('HELM'),
    helm4: vars.get('HELM4') ?? '',
    helm4Unavailable: vars.get('HELM4_UNAVAILABLE') ?? '',
    helmUnittest: need('HELM_UNITTEST'),
    kubeconform: need('KUBECONFORM'),
    kubeVersion: need('KUBE_VERSION'),
    kubeSchemaDir: need('KUBE_SCHEMA_DIR'),
    crdDir: need('CRD_DIR'),
  };
  return cached;
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs a tool and returns its exit status and output (never throws on a non-zero status). */
export function run(command: string, args: string[], cwd = chartsDir): RunResult {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** A rendered Kubernetes object. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  [key: string]: unknown;
}

export interface RenderOptions {
  values?: string[];
  set?: string[];
  helm?: string;
  chart?: string;
}

/**
 * `helm template cartwheel <chart> -n cartwheel` with the given values files (relative to the
 * umbrella) and --set flags; the Kubernetes version is passed explicitly because a `go install`
 * build of helm does not carry the release's default.
 */
export function renderText(options: RenderOptions = {}): string {
  const tools = chartTools();
  const args = ['template', 'cartwheel', options.chart ?? umbrellaDir, '--namespace', 'cartwheel'];
  args.push('--kube-version', tools.kubeVersion);
  for (const file of options.values ?? []) args.push('--values', path.join(umbrellaDir, file));
  for (const flag of options.set ?? []) args.push('--set', flag);
  return execFileSync(options.helm ?? tools.helm, args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Parses a multi-document YAML stream into its non-empty objects. */
export function parseObjects(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((doc): doc is K8sObject => doc !== null && typeof doc === 'object');
}

/** Renders and parses. */
export function render(options: RenderOptions = {}): K8sObject[] {
  return parseObjects(renderText(options));
}

/** The one object of that kind and name; fails naming what was there. */
export function findObject(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) {
    const names = objects.filter((o) => o.kind === kind).map((o) => o.metadata.name);
    throw new Error(`no ${kind} ${name}; rendered: ${names.join(', ') || 'none'}`);
  }
  return found;
}

/** The renders every test covers: defaults, dev, prod, and each toggle off. */
export const renderCases: { name: string; options: RenderOptions }[] = [
  { name: 'default values', options: {} },
  { name: 'values-dev.yaml', options: { values: ['values-dev.yaml'] } },
  { name: 'values-prod.yaml', options: { values: ['values-prod.yaml'] } },
  { name: 'Keycloak off', options: { set: ['global.keycloak.enabled=false'] } },
  { name: 'AI off', options: { set: ['ai.enabled=false'] } },
  {
    name: 'Mailpit off (dev)',
    options: { values: ['values-dev.yaml'], set: ['global.mailpit.enabled=false'] },
  },
];
