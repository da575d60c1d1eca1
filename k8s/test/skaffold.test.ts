/**
 * skaffold.yaml against Skaffold's own JSON schema for its apiVersion (docs-v2/content/en/schemas
 * in the Go module github.com/GoogleContainerTools/skaffold/v2 at the version pinned in
 * k8s/versions.env, fetched with `go mod download` and cached), with every profile's patches
 * applied; then its artifacts, chart and values files against the repository and the chart.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { expect } from 'chai';
import { parse, parseAllDocuments } from 'yaml';
import { cacheDir, helmBinary, read, root, SERVICES } from './support.js';

type Json = Record<string, unknown>;
interface Patch {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}
interface Artifact {
  image: string;
  context: string;
  docker: { dockerfile: string; target?: string; buildArgs: Record<string, string> };
  sync?: { manual: Array<{ src: string; dest: string }> };
}
interface Release {
  name: string;
  chartPath: string;
  namespace: string;
  valuesFiles?: string[];
  setValueTemplates: Record<string, string>;
  setValues?: Record<string, string | boolean>;
}
interface Config {
  apiVersion: string;
  build: { artifacts: Artifact[]; local?: { push?: boolean } };
  deploy: { helm: { releases: Release[] } };
  portForward: Array<{ localPort: number; resourceName: string }>;
  profiles: Array<{ name: string; patches?: Patch[]; build?: Config['build'] }>;
}

const skaffoldVersion = /^SKAFFOLD_VERSION=(\S+)$/m.exec(read('k8s/versions.env'))![1];
const config = parse(read('skaffold.yaml')) as Config;

/** The schema file for `apiVersion`, from the skaffold Go module (cached after the first download). */
function schemaFor(apiVersion: string): Json {
  const name = `${apiVersion.split('/')[1]}.json`;
  const cached = path.join(cacheDir(`skaffold-schemas-v${skaffoldVersion}`), name);
  if (!existsSync(cached)) {
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'cartwheel-skaffold-'));
    try {
      const info = JSON.parse(
        execFileSync(
          'go',
          ['mod', 'download', '-json', `github.com/GoogleContainerTools/skaffold/v2@v${skaffoldVersion}`],
          {
            cwd: scratch,
            env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' },
            encoding: 'utf8',
            maxBuffer: 16 * 1024 * 1024,
          },
        ),
      ) as { Dir?: string; Error?: string };
      if (!info.Dir) throw new Error(`go mod download skaffold v${skaffoldVersion}: ${info.Error}`);
      copyFileSync(path.join(info.Dir, 'docs-v2/content/en/schemas', name), cached);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  return JSON.parse(readFileSync(cached, 'utf8')) as Json;
}

/** RFC 6902 add/replace/remove, as Skaffold applies profile patches (the parent must exist). */
function applyPatches(document: Json, patches: Patch[]): Json {
  const copy = structuredClone(document);
  for (const patch of patches) {
    const keys = patch.path.split('/').slice(1);
    const last = keys.pop()!;
    let parent: unknown = copy;
    for (const key of keys) {
      parent = (parent as Json)[key];
      if (parent === undefined) throw new Error(`patch ${patch.op} ${patch.path}: no parent`);
    }
    const target = parent as Json & unknown[];
    if (patch.op === 'remove') delete target[last];
    else if (Array.isArray(target) && last === '-') target.push(patch.value);
    else target[last] = patch.value;
  }
  return copy;
}

/** The config a profile produces: its patches applied, its sections replacing the top-level ones. */
function withProfile(name: string): Config {
  const profile = config.profiles.find((p) => p.name === name)!;
  const { profiles: _profiles, ...base } = config;
  const patched = applyPatches(base as unknown as Json, profile.patches ?? []) as unknown as Config;
  return { ...patched, ...(profile.build ? { build: profile.build } : {}), profiles: [] };
}

describe('skaffold.yaml', function () {
  this.timeout(600_000);
  let validate: ValidateFunction;

  before(() => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    validate = ajv.compile(schemaFor(config.apiVersion));
  });

  const errors = () => JSON.stringify(validate.errors?.slice(0, 5), null, 1);

  it('when validated against the schema of its apiVersion, then it and every profile are valid', () => {
    expect(config.apiVersion).to.equal('skaffold/v4beta14');
    expect(validate(config), errors()).to.equal(true);
    for (const profile of config.profiles) {
      const { profiles: _profiles, ...effective } = withProfile(profile.name);
      expect(validate(effective), `profile ${profile.name}: ${errors()}`).to.equal(true);
    }
  });

  it('when a field is misspelled, then the schema rejects it', () => {
    const broken = structuredClone(config) as unknown as Json;
    (broken.build as Json).artifacs = (broken.build as Json).artifacts;
    delete (broken.build as Json).artifacts;
    expect(validate(broken)).to.equal(false);
  });

  it('when it builds, then there is one artifact per service with its SERVICE build arg and an existing Dockerfile', () => {
    for (const build of [config.build, withProfile('dev').build, withProfile('prod').build]) {
      expect(build.artifacts.map((a) => a.docker.buildArgs.SERVICE).sort()).to.deep.equal(
        [...SERVICES].sort(),
      );
      for (const artifact of build.artifacts) {
        expect(artifact.image).to.equal(`cartwheel-${artifact.docker.buildArgs.SERVICE}`);
        expect(existsSync(path.join(root, artifact.context, artifact.docker.dockerfile))).to.equal(true);
      }
    }
    const dockerfile = read('Dockerfile');
    for (const artifact of withProfile('dev').build.artifacts) {
      expect(artifact.docker.target).to.equal('dev');
      expect(dockerfile).to.include(' AS dev\n');
      expect(artifact.sync?.manual.map((rule) => rule.src)).to.include('services/*/dist/**');
    }
    expect(withProfile('dev').build.local?.push).to.equal(false);
    expect(withProfile('prod').build.artifacts.every((a) => a.docker.target === 'runtime')).to.equal(true);
  });

  it('when it deploys, then each profile installs charts/cartwheel with existing values files', () => {
    for (const name of ['dev', 'prod']) {
      const [release] = withProfile(name).deploy.helm.releases;
      expect(release).to.include({
        name: 'cartwheel',
        namespace: 'cartwheel',
        chartPath: 'charts/cartwheel',
      });
      expect(existsSync(path.join(root, release.chartPath, 'Chart.yaml'))).to.equal(true);
      expect(release.valuesFiles).to.have.length.greaterThan(0);
      for (const file of release.valuesFiles!) expect(existsSync(path.join(root, file)), file).to.equal(true);
    }
    expect(config.portForward.map((p) => p.localPort)).to.include.members([8080, 3000, 8025, 8180]);
  });

  it('when Skaffold sets each built image with the dev values, then the chart runs exactly that image in the service Deployment', () => {
    const [release] = config.deploy.helm.releases;
    const kubeVersion = /^KUBE_VERSION=(\S+)$/m.exec(read('k8s/versions.env'))![1];
    const args = ['template', 'cartwheel', path.join(root, release.chartPath), '--namespace', 'cartwheel'];
    args.push('--kube-version', kubeVersion);
    args.push('--values', path.join(root, 'charts/cartwheel/values-dev.yaml'));
    for (const [key, value] of Object.entries(withProfile('dev').deploy.helm.releases[0].setValues ?? {})) {
      args.push('--set', `${key}=${String(value)}`);
    }
    for (const [key, template] of Object.entries(release.setValueTemplates)) {
      // {{.IMAGE_REPO_cartwheel_order}} → probe.local/cartwheel-order, {{.IMAGE_TAG_…}} → probe
      const artifact = /IMAGE_(REPO|TAG)_(\w+)/.exec(template)!;
      args.push(
        '--set',
        `${key}=${artifact[1] === 'REPO' ? `probe.local/${artifact[2].replace(/_/g, '-')}` : 'probe'}`,
      );
    }
    const rendered = execFileSync(helmBinary(), args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const images = parseAllDocuments(rendered)
      .map(
        (d) =>
          d.toJS() as {
            kind?: string;
            spec?: { template?: { spec?: { containers?: Array<{ image: string }> } } };
          },
      )
      .filter((o) => o?.kind === 'Deployment')
      .flatMap((o) => o.spec?.template?.spec?.containers?.map((c) => c.image) ?? []);
    for (const service of SERVICES) expect(images).to.include(`probe.local/cartwheel-${service}:probe`);
  });
});
