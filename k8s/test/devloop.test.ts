/**
 * The cluster and dev-loop plumbing without a cluster: every command k8s/README.md names exists
 * (make targets, scripts), every make target runs a script that exists and parses (bash -n),
 * versions are pinned exactly in one place, the values files and the kind config parse and say
 * what the scripts rely on.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { parse, parseAllDocuments } from 'yaml';
import { read, root } from './support.js';

const versions = Object.fromEntries(
  read('k8s/versions.env')
    .split('\n')
    .filter((line) => /^\w+=/.test(line))
    .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
);
const targetsFile = read('k8s/make-targets.mk');
/** `name: ## help` targets of the Makefile and k8s/make-targets.mk. */
const makeTargets = new Set(
  [read('Makefile'), targetsFile].flatMap((text) => [...text.matchAll(/^([a-z][\w-]*):/gm)].map((m) => m[1])),
);
const readme = read('k8s/README.md');
// The dev-loop scripts (install-tools.sh belongs to the chart checks and has its own variables).
const scripts = readdirSync(path.join(root, 'k8s/scripts')).filter(
  (f) => f.endsWith('.sh') && f !== 'install-tools.sh',
);

describe('k8s dev loop', () => {
  it('when the README says `make <target>`, then that target exists', () => {
    const named = [...readme.matchAll(/(?:^|`)make ([a-z][\w-]*)/gm)].map((m) => m[1]);
    expect(named).to.include.members([
      'kind-up',
      'operators',
      'observability',
      'dev',
      'deploy',
      'port-forward',
      'kind-down',
    ]);
    for (const target of named) expect(makeTargets.has(target), `make ${target}`).to.equal(true);
  });

  it('when the README names a file of the repository, then it exists', () => {
    const files = [
      ...readme.matchAll(/`((?:k8s|tilt|charts|services)\/[\w./-]+|Tiltfile|skaffold\.yaml|Dockerfile)`/g),
    ].map((m) => m[1]);
    expect(files.length).to.be.greaterThan(10);
    for (const file of files) expect(existsSync(path.join(root, file)), file).to.equal(true);
  });

  it('when a make target runs a script, then the script exists and bash parses it', () => {
    const recipes = [...targetsFile.matchAll(/^\tbash (k8s\/scripts\/[\w-]+\.sh)/gm)].map((m) => m[1]);
    expect(recipes).to.have.length(6);
    for (const script of recipes) expect(existsSync(path.join(root, script)), script).to.equal(true);
    for (const script of scripts) execFileSync('bash', ['-n', path.join(root, 'k8s/scripts', script)]);
    // Every k8s target is documented for `make help`.
    for (const target of [
      'kind-up',
      'kind-down',
      'operators',
      'observability',
      'dev',
      'deploy',
      'port-forward',
    ]) {
      expect(targetsFile).to.match(new RegExp(`^${target}: ## \\S`, 'm'));
    }
  });

  describe('create-missing.sh (Tilt creates the generated Secrets with it)', () => {
    /** Runs the script with a stand-in kubectl that answers `create` as an API server with `existing` would. */
    function createMissing(existing: string[], extraError = '') {
      const bin = mkdtempSync(path.join(os.tmpdir(), 'fake-kubectl-'));
      const log = path.join(bin, 'calls');
      writeFileSync(
        path.join(bin, 'kubectl'),
        `#!/usr/bin/env bash
echo "$*" >> "${log}"
case "$*" in
  *" create namespace "*) echo "apiVersion: v1"; exit 0 ;;
  *" apply "*) cat > /dev/null; exit 0 ;;
  *" create -f -"*)
    failed=0
    for name in $(grep -o 'name: [a-z-]*' | cut -d' ' -f2); do
      if [[ " ${existing.join(' ')} " == *" $name "* ]]; then
        echo "Error from server (AlreadyExists): error when creating STDIN: secrets $name already exists"; failed=1
      else echo "secret/$name created"; fi
    done
    ${extraError ? `echo "${extraError}"; failed=1` : ''}
    exit $failed ;;
esac
`,
        { mode: 0o755 },
      );
      const stdin = ['a', 'b', 'c']
        .map((n) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${n}\n`)
        .join('---\n');
      const result = spawnSync('bash', [path.join(root, 'k8s/scripts/create-missing.sh')], {
        input: stdin,
        encoding: 'utf8',
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
      });
      const calls = readFileSync(log, 'utf8');
      rmSync(bin, { recursive: true, force: true });
      return { ...result, calls };
    }

    it('when some Secrets exist, then only the missing ones are created and the run succeeds', () => {
      const result = createMissing(['b']);
      expect(result.status, result.stderr).to.equal(0);
      expect(result.stdout).to.include('secret/a created').and.include('secret/c created');
      expect(result.stdout + result.stderr).to.not.include('AlreadyExists');
      expect(result.calls).to.include(
        `--context kind-${versions.KIND_CLUSTER_NAME} -n ${versions.CARTWHEEL_NAMESPACE} create -f -`,
      );
      // Nothing is replaced: the one apply is ensure_namespace's, before the Secrets are read.
      const writes = result.calls.split('\n').filter((line) => / (apply|replace|delete|patch) /.test(line));
      expect(writes).to.deep.equal([`--context kind-${versions.KIND_CLUSTER_NAME} apply -f -`]);
    });

    it('when kubectl fails for another reason, then the run fails and says why', () => {
      const result = createMissing(
        ['a'],
        'error: the server has asked for the client to provide credentials',
      );
      expect(result.status).to.equal(1);
      expect(result.stderr).to.include('provide credentials').and.not.include('AlreadyExists');
    });
  });

  it('when a script installs a chart, then its values file exists and its version is pinned exactly', () => {
    for (const [key, value] of Object.entries(versions).filter(([k]) => k.endsWith('_VERSION'))) {
      expect(value, key).to.match(/^v?\d+\.\d+\.\d+$/);
    }
    const valuesFiles = scripts.flatMap((s) => [
      ...read(`k8s/scripts/${s}`).matchAll(/k8s\/(?:operators|observability)\/[\w.-]+\.yaml/g),
    ]);
    expect(valuesFiles.length).to.be.greaterThan(6);
    for (const [file] of valuesFiles) {
      expect(existsSync(path.join(root, file)), file).to.equal(true);
      expect(() => parse(read(file))).to.not.throw();
    }
    // Every variable a script reads from versions.env is defined there.
    const used = scripts.flatMap((s) =>
      [...read(`k8s/scripts/${s}`).matchAll(/\$\{([A-Z][A-Z0-9_]+)\}/g)].map((m) => m[1]),
    );
    const local = new Set(['KUBE_CONTEXT', 'IMAGE_TAG', 'SKIP_BUILD', 'WAIT_TIMEOUT', 'ROOT', 'BASH_SOURCE']);
    for (const name of new Set(used)) {
      expect(name in versions || local.has(name), `${name} is defined in k8s/versions.env`).to.equal(true);
    }
  });

  it('when kind creates the cluster, then it uses the registry port of versions.env and forwards the NodePorts', () => {
    const cluster = parse(read('k8s/kind/cluster.yaml')) as {
      kind: string;
      apiVersion: string;
      name: string;
      containerdConfigPatches: string[];
      nodes: Array<{ role: string; extraPortMappings: Array<{ containerPort: number; hostPort: number }> }>;
    };
    expect(cluster).to.include({
      kind: 'Cluster',
      apiVersion: 'kind.x-k8s.io/v1alpha4',
      name: versions.KIND_CLUSTER_NAME,
    });
    expect(cluster.containerdConfigPatches.join('\n')).to.include('config_path = "/etc/containerd/certs.d"');
    expect(cluster.nodes.map((n) => n.role)).to.deep.equal(['control-plane']);
    expect(cluster.nodes[0].extraPortMappings.map((m) => m.containerPort)).to.include(30080);
    const kindUp = read('k8s/scripts/kind-up.sh');
    expect(kindUp).to.include('localhost:${KIND_REGISTRY_PORT}');
    expect(kindUp).to.include('local-registry-hosting');
  });

  it('when the observability stack is installed, then Prometheus selects every monitor and Grafana loads dashboards by label', () => {
    const kps = parse(read('k8s/observability/kube-prometheus-stack-values.yaml')) as {
      prometheus: { prometheusSpec: Record<string, unknown> };
      grafana: {
        sidecar: { dashboards: Record<string, unknown> };
        additionalDataSources: Array<{ uid: string }>;
      };
    };
    for (const selector of ['serviceMonitor', 'podMonitor', 'rule', 'probe', 'scrapeConfig']) {
      expect(kps.prometheus.prometheusSpec[`${selector}SelectorNilUsesHelmValues`], selector).to.equal(false);
    }
    expect(kps.prometheus.prometheusSpec.enableRemoteWriteReceiver).to.equal(true);
    expect(kps.grafana.sidecar.dashboards).to.include({
      label: 'grafana_dashboard',
      labelValue: '1',
      searchNamespace: 'ALL',
    });
    expect(kps.grafana.additionalDataSources.map((d) => d.uid)).to.deep.equal(['loki', 'tempo']);
    const loki = parse(read('k8s/observability/loki-values.yaml')) as Record<string, { enabled?: boolean }>;
    expect(loki.chunksCache.enabled, 'Loki chunks cache (8 GB by default) is off').to.equal(false);
    const alloy = read('k8s/observability/alloy-values.yaml');
    expect(alloy).to.include('loki.source.kubernetes').and.include('http://tempo.observability.svc:4318');
  });

  it('when the operator, observability and kind files are read, then every YAML document parses', () => {
    for (const dir of ['k8s/operators', 'k8s/observability', 'k8s/kind']) {
      for (const file of readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.yaml'))) {
        const documents = parseAllDocuments(read(`${dir}/${file}`));
        expect(
          documents.flatMap((d) => d.errors),
          `${dir}/${file}`,
        ).to.deep.equal([]);
      }
    }
  });
});
