/**
 * The Dockerfile against the repository, without a Docker engine: every path it copies from the
 * build context and every path its CMD runs exists after the build it performs (`npm run build`),
 * the staged production tree of each service imports with production dependencies only, and the
 * final stage runs as a numeric non-root user with no package manager, secrets or tests.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { runtimeWorkspaces, stageService, workspacesByName } from '../docker/stage-service.js';
import {
  dockerignore,
  execForm,
  parseCopy,
  parseDockerfile,
  read,
  root,
  SERVICES,
  type Stage,
} from './support.js';

const dockerfile = parseDockerfile(read('Dockerfile'));
const ignored = dockerignore(read('.dockerignore'));
const stage = (name: string): Stage => {
  const found = dockerfile.stages.find((s) => s.name === name);
  if (!found) throw new Error(`Dockerfile has no stage ${name}`);
  return found;
};
const instructions = (s: Stage, keyword: string) => s.instructions.filter((i) => i.keyword === keyword);
const finalStage = dockerfile.stages[dockerfile.stages.length - 1];
/** Files below `dir`, relative to it. */
const walk = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(path.join(dir, f)).isFile());

describe('Dockerfile', function () {
  this.timeout(600_000);
  const staged = new Map<string, string>();

  before(function () {
    // What the build stage runs (and `make build`): tsc -b plus the storefront assets.
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'pipe' });
  });

  after(() => {
    for (const dir of staged.values()) rmSync(dir, { recursive: true, force: true });
  });

  it('when the build context is sent, then every COPY source exists and .dockerignore keeps it', () => {
    const sources = dockerfile.stages.flatMap((s) =>
      instructions(s, 'COPY')
        .map((i) => parseCopy(i.args))
        .filter((copy) => !copy.flags.from)
        .flatMap((copy) => copy.sources),
    );
    expect(sources.length).to.be.greaterThan(10);
    for (const source of sources) {
      const relative = path.posix.normalize(source).replace(/\/$/, '');
      expect(existsSync(path.join(root, relative)), `${source} exists`).to.equal(true);
      expect(ignored(relative), `${source} is not excluded by .dockerignore`).to.equal(false);
    }
    // The assemble stage runs the staging script from the context.
    expect(ignored('k8s/docker/stage-service.ts')).to.equal(false);
    expect(ignored('services/kit/test/x.test.ts')).to.equal(true);
  });

  it('when a RUN executes a file of the repository, then that file was copied into its stage or an ancestor', () => {
    const copiedInto = (s: Stage): string[] => {
      const own = instructions(s, 'COPY')
        .map((i) => parseCopy(i.args))
        .filter((copy) => !copy.flags.from)
        .flatMap((copy) => copy.sources.map((source) => source.replace(/\/$/, '')));
      const parent = dockerfile.stages.find((p) => p.name === s.base);
      return parent ? [...own, ...copiedInto(parent)] : own;
    };
    for (const s of dockerfile.stages) {
      for (const run of instructions(s, 'RUN')) {
        for (const file of run.args.match(/\b(?:k8s|services|tilt)\/[\w./-]+\.(?:ts|js|mjs|sh)\b/g) ?? []) {
          const copied = copiedInto(s).some((source) => file === source || file.startsWith(`${source}/`));
          expect(copied, `stage ${s.name} line ${run.line} runs ${file}`).to.equal(true);
        }
      }
    }
  });

  it('when npm ci runs in the base stage, then every workspace of package.json has its manifest copied', () => {
    const copied = instructions(stage('base'), 'COPY').flatMap((i) => parseCopy(i.args).sources);
    for (const dir of workspacesByName(root).values()) {
      expect(copied, `${dir}/package.json copied before npm ci`).to.include(`${dir}/package.json`);
    }
    expect(copied).to.include.members(['package.json', 'package-lock.json']);
  });

  it('when live update syncs compiled output, then .dockerignore does not hide services/*/dist', () => {
    // Tilt never syncs files its build context ignores; the build stage deletes them instead.
    expect(ignored('services/order/dist/main.js')).to.equal(false);
    expect(
      instructions(stage('build'), 'RUN').some((i) => i.args.includes('rm -rf services/*/dist')),
    ).to.equal(true);
  });

  for (const service of SERVICES) {
    it(`when the ${service} image is assembled, then its CMD file exists and imports with production dependencies only`, function () {
      const out = mkdtempSync(path.join(os.tmpdir(), `cartwheel-image-${service}-`));
      staged.set(service, out);
      // prod-deps stage: the manifests, then npm ci --omit=dev for the service's workspace tree.
      for (const file of ['package.json', 'package-lock.json'])
        cpSync(path.join(root, file), path.join(out, file));
      for (const dir of workspacesByName(root).values()) {
        cpSync(path.join(root, dir, 'package.json'), path.join(out, dir, 'package.json'));
      }
      execFileSync(
        'npm',
        [
          'ci',
          '--omit=dev',
          '--ignore-scripts',
          '--no-audit',
          '--no-fund',
          '--prefer-offline',
          '--workspace',
          `services/${service}`,
        ],
        { cwd: out, stdio: 'pipe' },
      );
      // assemble stage: the service's compiled workspaces.
      stageService(root, service, out);

      const workdir = path.join(out, 'services', service); // WORKDIR /app/services/${SERVICE}
      const cmd = execForm(instructions(finalStage, 'CMD')[0].args)!;
      const script = cmd.find((word) => word.endsWith('.js'))!;
      expect(existsSync(path.join(workdir, script)), `${script} in the ${service} image`).to.equal(true);

      for (const tool of [
        'typescript',
        'tsx',
        'mocha',
        'chai',
        'eslint',
        'c8',
        'prettier',
        'esbuild',
        '@cartwheel/testing',
      ]) {
        expect(
          existsSync(path.join(out, 'node_modules', tool)),
          `${tool} is not in the ${service} image`,
        ).to.equal(false);
      }
      const entry = path.join(workdir, path.dirname(script), 'index.js');
      execFileSync(
        process.execPath,
        ['--input-type=module', '-e', `await import(${JSON.stringify(entry)});`],
        {
          cwd: workdir,
          env: { PATH: process.env.PATH, NODE_ENV: 'production' },
          stdio: 'pipe',
          timeout: 60_000,
        },
      );
    });
  }

  it('when a service image is assembled, then it holds only its own runtime workspaces and no tests or sources', () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'cartwheel-image-files-'));
    staged.set('files', out);
    stageService(root, 'gateway', out);
    const files = walk(out).filter((f) => !f.startsWith('node_modules/'));
    const workspaces = new Set(files.map((f) => f.split('/').slice(0, 2).join('/')));
    expect([...workspaces].sort()).to.deep.equal(runtimeWorkspaces(root, 'gateway').sort());
    expect(
      files.filter((f) => /\/(test|src)\//.test(f) || /\.tsbuildinfo$|(^|\/)\.env/.test(f)),
    ).to.deep.equal([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).to.deep.equal([]);
  });

  it('when the final stage runs, then it is a numeric non-root user, node is PID 1, and no package manager or secret is in it', () => {
    expect(finalStage.name).to.equal('runtime');
    const users = instructions(finalStage, 'USER');
    const user = users[users.length - 1]?.args ?? '';
    expect(user, 'USER is numeric uid[:gid]').to.match(/^\d+(:\d+)?$/);
    expect(Number(user.split(':')[0])).to.be.greaterThan(0);

    const cmd = execForm(instructions(finalStage, 'CMD')[0]?.args ?? '');
    expect(cmd, 'CMD in exec form (node is PID 1 and receives SIGTERM)').to.not.equal(undefined);
    expect(cmd![0]).to.equal('node');
    expect(cmd).to.include('--enable-source-maps');
    expect(instructions(finalStage, 'ENTRYPOINT')).to.deep.equal([]);

    // Only the assembled tree comes in: nothing from the build context, nothing from dev stages.
    const copies = instructions(finalStage, 'COPY').map((i) => parseCopy(i.args));
    expect(copies.map((c) => c.flags.from)).to.deep.equal(['assemble']);
    const removal = instructions(finalStage, 'RUN')
      .map((i) => i.args)
      .join(' ');
    for (const tool of [
      '/usr/local/lib/node_modules/npm',
      '/usr/local/bin/npx',
      '/usr/local/bin/corepack',
      'yarn',
    ]) {
      expect(removal, `the final stage removes ${tool}`).to.include(tool);
    }
    const declared = [...dockerfile.args, ...finalStage.instructions]
      .filter((i) => i.keyword === 'ENV' || i.keyword === 'ARG')
      .map((i) => i.args);
    expect(declared.filter((d) => /SECRET|PASSWORD|TOKEN|API_KEY|PRIVATE/i.test(d))).to.deep.equal([]);
  });

  it('when Tilt or Skaffold builds target dev, then it watches the compiled entry point as the app user', () => {
    const dev = stage('dev');
    expect(dev.base).to.equal('build');
    const cmd = execForm(instructions(dev, 'CMD')[0].args)!;
    expect(cmd.slice(0, 2)).to.deep.equal(['node', '--watch']);
    expect(cmd[cmd.length - 1]).to.equal(execForm(instructions(finalStage, 'CMD')[0].args)!.at(-1));
    expect(instructions(dev, 'USER')[0]?.args).to.equal(instructions(finalStage, 'USER')[0]?.args);
    const from = dockerfile.args.find((a) => a.args.startsWith('NODE_IMAGE='))?.args ?? '';
    expect(from, 'the base image is pinned to an exact Node version').to.match(
      /^NODE_IMAGE=node:20\.\d+\.\d+-bookworm-slim/,
    );
  });
});
