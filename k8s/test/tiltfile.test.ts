/**
 * The Tiltfile, run as Tilt runs it but without a cluster: k8s/tools/starlark-check executes it
 * with the real Starlark interpreter in Tilt's dialect, real load()s of tilt/*.star, Tilt's
 * builtins stubbed with their real parameter lists, and helm() rendering charts/cartwheel with
 * the real helm. The recorded calls are then checked against the repository.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { parseAllDocuments } from 'yaml';
import { cacheDir, helmBinary, read, root, SERVICES } from './support.js';

interface Call {
  fn: string;
  pos: string;
  args: unknown[] | null;
  kwargs: Record<string, unknown>;
}
interface Report {
  files: string[];
  calls: Call[];
  helm: Array<{ args: string[]; output: string }>;
}
interface Container {
  image: string;
  securityContext?: { readOnlyRootFilesystem?: boolean };
}
interface K8sObject {
  kind?: string;
  metadata?: { name?: string; annotations?: Record<string, string> };
  spec?: { template: { spec: { containers: Container[] } } };
}

const CHECKER = path.join(root, 'k8s/tools/starlark-check');

/** Builds the checker into the cache, keyed by its sources (go build is a no-op when cached). */
function checkerBinary(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(CHECKER).sort())
    hash.update(file).update(readFileSync(path.join(CHECKER, file)));
  const binary = path.join(cacheDir('bin'), `starlark-check-${hash.digest('hex').slice(0, 16)}`);
  if (!existsSync(binary)) {
    execFileSync('go', ['build', '-o', binary, '.'], {
      cwd: CHECKER,
      env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' },
      stdio: 'pipe',
    });
  }
  return binary;
}

function runChecker(tiltfile: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(checkerBinary(), ['-helm', helmBinary(), tiltfile], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024, // the report holds the rendered chart
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const versions = Object.fromEntries(
  read('k8s/versions.env')
    .split('\n')
    .filter((line) => /^\w+=/.test(line))
    .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
);

describe('Tiltfile', function () {
  this.timeout(300_000);
  let report: Report;
  const calls = (fn: string) => report.calls.filter((c) => c.fn === fn);
  const arg = (call: Call, index: number, name: string): unknown => call.args?.[index] ?? call.kwargs[name];
  let applied: K8sObject[];

  before(function () {
    const result = runChecker(path.join(root, 'Tiltfile'));
    if (result.status !== 0) throw new Error(`starlark-check failed:\n${result.stderr}`);
    report = JSON.parse(result.stdout) as Report;
    const yamlCall = calls('k8s_yaml')[0];
    applied = parseAllDocuments(String(arg(yamlCall, 0, 'yaml'))).map((d) => d.toJS() as K8sObject);
  });

  it('when Tilt loads it, then every tilt/*.star helper is loaded and parses', () => {
    const helpers = readdirSync(path.join(root, 'tilt'))
      .filter((f) => f.endsWith('.star'))
      .map((f) => `tilt/${f}`);
    expect(report.files).to.include.members(['Tiltfile', ...helpers]);
  });

  it('when images are built, then each service has one dev-target docker_build of an existing Dockerfile', () => {
    const builds = calls('docker_build');
    const services = builds.map((b) => (b.kwargs.build_args as Record<string, string>).SERVICE).sort();
    expect(services).to.deep.equal([...SERVICES].sort());
    for (const build of builds) {
      expect(build.kwargs.target).to.equal('dev');
      expect(existsSync(path.join(root, String(arg(build, 1, 'context'))))).to.equal(true);
      expect(existsSync(path.join(root, String(build.kwargs.dockerfile ?? 'Dockerfile')))).to.equal(true);
      expect(read(String(build.kwargs.dockerfile))).to.match(/ AS dev$/m);
    }
  });

  it('when the chart is applied, then every built image is one a Deployment runs, with a writable root for live update', () => {
    const containers = applied
      .filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet')
      .flatMap((o) => o.spec?.template.spec.containers ?? []);
    for (const build of calls('docker_build')) {
      const ref = String(arg(build, 0, 'ref'));
      const running = containers.filter((c) => c.image.split('@')[0].replace(/:[^:/]+$/, '') === ref);
      expect(running, `a container runs ${ref}`).to.have.length.greaterThan(0);
      for (const container of running)
        expect(container.securityContext?.readOnlyRootFilesystem).to.equal(false);
    }
    expect(applied.filter((o) => o.metadata?.annotations?.['helm.sh/hook']?.includes('test'))).to.deep.equal(
      [],
    );
  });

  it('when the chart generates keys and passwords, then Tilt creates those Secrets once and never re-applies them', () => {
    const kept = (o: K8sObject) =>
      o.kind === 'Secret' && o.metadata?.annotations?.['helm.sh/resource-policy'] === 'keep';
    expect(applied.filter(kept).map((o) => o.metadata?.name)).to.deep.equal([]);
    const creates = calls('local').filter((c) => String(arg(c, 0, 'command')).includes('create-missing.sh'));
    expect(creates).to.have.length(1);
    const created = parseAllDocuments(String(creates[0].kwargs.stdin)).map((d) => d.toJS() as K8sObject);
    expect(created.length).to.be.greaterThan(0);
    expect(created.every(kept)).to.equal(true);
    // The signing key and the first admin are among them.
    expect(created.map((o) => o.metadata?.name)).to.include.members(['cartwheel-jwt', 'cartwheel-admin']);
  });

  it('when a file changes, then live update syncs existing folders to absolute paths and falls back on manifests', () => {
    for (const build of calls('docker_build')) {
      const steps = build.kwargs.live_update as Array<Record<string, unknown>>;
      expect(steps.map((s) => s.fn)).to.deep.equal(['fall_back_on', 'sync']);
      for (const file of steps[0].files as string[])
        expect(existsSync(path.join(root, file)), file).to.equal(true);
      expect(existsSync(path.join(root, String(steps[1].local_path)))).to.equal(true);
      expect(String(steps[1].remote_path)).to.match(/^\/app\//);
    }
    const compile = calls('local_resource').find((c) => arg(c, 0, 'name') === 'compile')!;
    expect(arg(compile, 1, 'cmd')).to.equal('npm run build');
    for (const dep of compile.kwargs.deps as string[])
      expect(existsSync(path.join(root, dep)), dep).to.equal(true);
  });

  it('when operators and the stack install, then every chart is pinned to k8s/versions.env with an existing values file', () => {
    const releases = calls('helm_resource');
    expect(releases.map((r) => arg(r, 0, 'name'))).to.include.members([
      'strimzi',
      'cnpg',
      'mongodb-kubernetes',
      'kube-prometheus-stack',
      'loki',
      'tempo',
      'alloy',
    ]);
    const pinned = Object.entries(versions)
      .filter(([key]) => key.endsWith('_VERSION'))
      .map(([, v]) => v);
    for (const release of releases) {
      const flags = release.kwargs.flags as string[];
      expect(pinned, `${String(arg(release, 0, 'name'))} --version`).to.include(
        flags[flags.indexOf('--version') + 1],
      );
      expect(existsSync(path.join(root, flags[flags.indexOf('--values') + 1]))).to.equal(true);
    }
    const helm = calls('helm')[0];
    expect(existsSync(path.join(root, String(arg(helm, 0, 'pathToChartDir')), 'Chart.yaml'))).to.equal(true);
    for (const values of helm.kwargs.values as string[])
      expect(existsSync(path.join(root, values))).to.equal(true);
    for (const local of calls('local_resource')) {
      for (const script of String(local.kwargs.cmd ?? arg(local, 1, 'cmd')).match(
        /k8s\/scripts\/[\w-]+\.sh/g,
      ) ?? []) {
        expect(existsSync(path.join(root, script)), script).to.equal(true);
      }
    }
  });

  it('when resources start, then every resource_deps entry names a declared resource and every resource has labels', () => {
    const declared = new Set<string>();
    for (const c of calls('helm_resource')) declared.add(String(arg(c, 0, 'name')));
    for (const c of calls('helm_repo')) declared.add(String(c.kwargs.resource_name ?? arg(c, 0, 'name')));
    for (const c of calls('local_resource')) declared.add(String(arg(c, 0, 'name')));
    for (const c of calls('k8s_resource')) declared.add(String(c.kwargs.new_name ?? arg(c, 0, 'workload')));
    const resources = [
      ...calls('helm_resource'),
      ...calls('helm_repo'),
      ...calls('local_resource'),
      ...calls('k8s_resource'),
    ];
    for (const resource of resources) {
      for (const dep of (resource.kwargs.resource_deps as string[] | undefined) ?? []) {
        expect(declared.has(dep), `${resource.pos}: resource_deps ${dep}`).to.equal(true);
      }
      expect(resource.kwargs.labels, `${resource.pos} has labels`)
        .to.be.an('array')
        .with.length.greaterThan(0);
    }
    // Services wait for the datastores, which wait for the operators.
    const gateway = calls('k8s_resource').find((c) => c.kwargs.new_name === 'gateway')!;
    expect(gateway.kwargs.resource_deps).to.include('datastores-ready');
    const datastores = calls('k8s_resource').find((c) => c.kwargs.new_name === 'datastores')!;
    expect(datastores.kwargs.resource_deps).to.include.members([
      'strimzi',
      'cnpg',
      'mongodb-kubernetes',
      'keycloak-operator',
    ]);
  });

  it('when the dev loop is up, then gateway, Grafana, Mailpit and Keycloak are forwarded to 8080, 3000, 8025 and 8180', () => {
    const ports = new Set<number>();
    for (const c of calls('k8s_resource')) {
      for (const forward of (c.kwargs.port_forwards as Array<{ local_port: number }> | undefined) ?? [])
        ports.add(forward.local_port);
    }
    for (const c of calls('local_resource')) {
      const match = /port-forward \S+ (\d+):\d+/.exec(String(c.kwargs.serve_cmd ?? ''));
      if (match) ports.add(Number(match[1]));
    }
    expect([...ports]).to.include.members([8080, 3000, 8025, 8180]);
  });

  describe('starlark-check', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'cartwheel-tiltfile-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('when a Tilt function gets a keyword Tilt does not have, then the check fails naming it', () => {
      writeFileSync(path.join(dir, 'Tiltfile'), "docker_build('cartwheel-order', '.', targte='dev')\n");
      const result = runChecker(path.join(dir, 'Tiltfile'));
      expect(result.status).to.not.equal(0);
      expect(result.stderr).to.include('targte');
    });

    it('when a Tiltfile uses an undefined name or bad syntax, then the check fails with its line', () => {
      writeFileSync(path.join(dir, 'Tiltfile'), "k8s_resouce('gateway')\n");
      expect(runChecker(path.join(dir, 'Tiltfile')).stderr).to.match(/Tiltfile:1:1: undefined: k8s_resouce/);
      writeFileSync(path.join(dir, 'Tiltfile'), 'def broken(:\n');
      expect(runChecker(path.join(dir, 'Tiltfile')).status).to.not.equal(0);
    });
  });
});
