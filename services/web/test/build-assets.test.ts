import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';

import {
  assetsDir,
  buildAssets,
  createAssetStore,
  loadAssets,
  MANIFEST_FILE,
  resolveAssetFile,
  type BuiltAssets,
} from '../src/index.js';

describe('buildAssets', function () {
  this.timeout(60_000);
  let root: string;
  let built: BuiltAssets;

  before(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'cartwheel-web-build-'));
    writeFileSync(path.join(root, 'stale.txt'), 'not part of any build');
    built = await buildAssets({ outdir: root });
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('when built, then index.html links the content-hashed script and stylesheet and inlines nothing', () => {
    const html = readFileSync(path.join(root, 'index.html'), 'utf8');
    expect(built.script).to.match(/^assets\/app-[A-Z0-9]{8}\.js$/);
    expect(built.stylesheet).to.match(/^assets\/app-[A-Z0-9]{8}\.css$/);
    expect(html).to.include(`src="/${built.script}"`).and.include(`href="/${built.stylesheet}"`);
    expect(html.match(/<script/g)).to.have.length(1);
    expect(html).to.not.match(/<style|\sstyle=|\son[a-z]+=|javascript:/i);
    const script = readFileSync(path.join(root, built.script), 'utf8');
    expect(script, 'Preact is bundled, nothing comes from a CDN').to.not.match(/https?:\/\/(?!www\.w3\.org)/);
  });

  it('when built, then the manifest lists exactly the files in assets/, all immutable', () => {
    const manifest = JSON.parse(readFileSync(path.join(root, MANIFEST_FILE), 'utf8')) as {
      files: { file: string; immutable: boolean }[];
    };
    const onDisk = readdirSync(path.join(root, 'assets')).map((name) => `assets/${name}`);
    expect(manifest.files.map((f) => f.file)).to.have.members(onDisk);
    expect(manifest.files.every((f) => f.immutable)).to.equal(true);
    expect(onDisk).to.include.members([built.script, built.stylesheet, `${built.script}.map`]);
  });

  it('when built again over an older build, then files of the older build are removed from assets/', async () => {
    writeFileSync(path.join(root, 'assets', 'app-OLDBUILD.js'), 'old');
    const again = await buildAssets({ outdir: root, minify: false });
    const onDisk = readdirSync(path.join(root, 'assets'));
    expect(onDisk).to.not.include('app-OLDBUILD.js');
    expect(onDisk).to.include(path.basename(again.script));
    expect(readdirSync(root)).to.include('stale.txt'); // only assets/ is cleaned, nothing else in the folder
  });

  it('exports assetsDir as the dist/public folder of the package', () => {
    expect(assetsDir).to.equal(path.resolve(import.meta.dirname, '..', 'dist', 'public'));
  });
});

describe('asset store', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'cartwheel-web-store-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const write = (file: string, text: string) => writeFileSync(path.join(root, file), text);
  const manifest = (files: string[], mtime?: Date) => {
    write(
      MANIFEST_FILE,
      JSON.stringify({
        version: 1,
        index: 'index.html',
        files: files.map((file) => ({ file, immutable: true })),
      }),
    );
    if (mtime) utimesSync(path.join(root, MANIFEST_FILE), mtime, mtime);
  };

  it('when no build is there, then the store has nothing (the gateway answers 503)', async () => {
    expect(await createAssetStore(root).current()).to.equal(undefined);
  });

  it('when a manifest names a file outside the folder or of an unserved type, then loading refuses it', async () => {
    write('index.html', '<!doctype html>');
    for (const file of [
      '../secret.js',
      '/etc/passwd',
      'a/../../x.js',
      'a\\b.js',
      'x.exe',
      '.env',
      'a//b.js',
      '%2e%2e/x.js',
    ]) {
      manifest([file]);
      let failure: unknown;
      await loadAssets(root).catch((error: unknown) => (failure = error));
      expect(String(failure), file).to.match(/may not be served/);
      expect(resolveAssetFile(root, file), file).to.equal(undefined);
    }
    expect(resolveAssetFile(root, 'assets/app-1.js')).to.equal(path.join(root, 'assets', 'app-1.js'));
  });

  it('when the manifest changes, then the store reads the new build; a half-written one is tried again', async () => {
    write('index.html', 'first');
    write('a.js', 'one');
    manifest(['a.js'], new Date(2020, 0, 1));
    const store = createAssetStore(root);
    expect((await store.current())!.index.body.toString()).to.equal('first');

    write('index.html', 'second');
    manifest(['missing.js'], new Date(2021, 0, 1)); // the build has not written missing.js yet
    let failure: unknown;
    await store.current().catch((error: unknown) => (failure = error));
    expect(String(failure)).to.match(/ENOENT/);
    write('missing.js', 'now here');
    const assets = (await store.current())!;
    expect(assets.index.body.toString()).to.equal('second');
    expect(assets.files.get('/missing.js')!.body.toString()).to.equal('now here');
    expect(assets.files.get('/missing.js')!.contentType).to.equal('text/javascript; charset=utf-8');
  });
});
