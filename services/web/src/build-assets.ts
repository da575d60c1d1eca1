import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { BuildOptions, BuildResult, Metafile, OutputFile } from 'esbuild';

import { INDEX_FILE, MANIFEST_FILE, type AssetManifest } from './asset-manifest.js';

/** `services/web`, from `src/` under tsx and from `dist/` once compiled. */
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const APP_DIR = path.join(PACKAGE_DIR, 'app');
/** Hashed output lives in one sub-folder, so stale files of earlier builds are easy to find. */
const ASSETS_SUBDIR = 'assets';
/** Where esbuild thinks it writes (write: false): only names output paths, nothing lands there. */
const VIRTUAL_OUT = path.join(PACKAGE_DIR, 'out');

export interface BuildAssetsOptions {
  /** Folder that receives `index.html`, `manifest.json` and `assets/`. */
  outdir: string;
  /** Minify JS and CSS (default true). */
  minify?: boolean;
}

export interface BuiltAssets {
  outdir: string;
  /** What the manifest lists: paths relative to `outdir`. */
  files: string[];
  /** The hashed script and stylesheet index.html links. */
  script: string;
  stylesheet: string;
}

/** The page: hashed script and stylesheet, no inline script or style (the gateway's CSP forbids both). */
export function indexHtml(script: string, stylesheet: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="description" content="Cartwheel storefront: browse the catalog, order, and manage the shop">
    <title>Cartwheel</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="/${stylesheet}">
    <script type="module" src="/${script}"></script>
  </head>
  <body>
    <div id="app"><p class="boot">Loading the Cartwheel storefront…</p></div>
    <noscript><p class="boot">The Cartwheel storefront needs JavaScript.</p></noscript>
  </body>
</html>
`;
}

function esbuildOptions(minify: boolean): BuildOptions & { metafile: true; write: false } {
  return {
    entryPoints: { app: path.join(APP_DIR, 'main.tsx') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: path.join(APP_DIR, 'tsconfig.json'),
    minify,
    sourcemap: 'linked',
    legalComments: 'none',
    entryNames: `${ASSETS_SUBDIR}/[name]-[hash]`,
    assetNames: `${ASSETS_SUBDIR}/[name]-[hash]`,
    absWorkingDir: PACKAGE_DIR,
    outdir: VIRTUAL_OUT,
    metafile: true,
    write: false,
    logLevel: 'silent',
  };
}

/** Writes through a temporary name, so a reader never sees half a file. */
async function writeAtomically(file: string, contents: string | Uint8Array): Promise<void> {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, file);
}

/** The script and stylesheet esbuild made from the app's entry point. */
function entryOutputs(metafile: Metafile): { script: string; stylesheet: string } {
  const entry = Object.entries(metafile.outputs).find(([, output]) => output.entryPoint !== undefined);
  if (!entry?.[1].cssBundle) throw new Error('esbuild produced no script with a stylesheet for app/main.tsx');
  // Metafile paths are relative to absWorkingDir (PACKAGE_DIR), with forward slashes.
  const name = (output: string) => path.posix.relative('out', output);
  return { script: name(entry[0]), stylesheet: name(entry[1].cssBundle) };
}

/**
 * Puts one build into `outdir`: the new hashed files, then index.html, then the manifest (last:
 * it is what makes the build visible to the gateway), then removes files of earlier builds.
 */
async function writeBuild(
  outdir: string,
  outputFiles: OutputFile[],
  metafile: Metafile,
): Promise<BuiltAssets> {
  const { script, stylesheet } = entryOutputs(metafile);
  const assetsDir = path.join(outdir, ASSETS_SUBDIR);
  await mkdir(assetsDir, { recursive: true });
  const files: string[] = [];
  for (const output of outputFiles) {
    const relative = path.relative(VIRTUAL_OUT, output.path).split(path.sep).join('/');
    await writeAtomically(path.join(outdir, relative), output.contents);
    files.push(relative);
  }
  await writeAtomically(path.join(outdir, INDEX_FILE), indexHtml(script, stylesheet));
  const manifest: AssetManifest = {
    version: 1,
    index: INDEX_FILE,
    files: files.map((file) => ({ file, immutable: file.startsWith(`${ASSETS_SUBDIR}/`) })),
  };
  await writeAtomically(path.join(outdir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  const current = new Set(files);
  for (const name of await readdir(assetsDir)) {
    if (!current.has(`${ASSETS_SUBDIR}/${name}`)) await rm(path.join(assetsDir, name), { force: true });
  }
  return { outdir, files, script, stylesheet };
}

/**
 * Bundles the browser app (`app/main.tsx`, Preact, and its CSS) with esbuild into content-hashed
 * files under `outdir/assets/`, and writes `index.html` and `manifest.json` naming them. esbuild
 * is loaded only here, so the gateway, which imports this package for `assetsDir`, never needs it.
 *
 * @example await buildAssets({ outdir: assetsDir });
 */
export async function buildAssets(options: BuildAssetsOptions): Promise<BuiltAssets> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build(esbuildOptions(options.minify ?? true));
  return writeBuild(path.resolve(options.outdir), result.outputFiles, result.metafile);
}

/**
 * Rebuilds into `outdir` on every change under `app/` (unminified), for development; resolves
 * with a function that stops watching. A gateway serving `outdir` picks up each build by itself.
 */
export async function watchAssets(
  options: BuildAssetsOptions & { onBuild?: (built: BuiltAssets | Error) => void },
): Promise<() => Promise<void>> {
  const esbuild = await import('esbuild');
  const outdir = path.resolve(options.outdir);
  const context = await esbuild.context({
    ...esbuildOptions(options.minify ?? false),
    plugins: [
      {
        name: 'cartwheel-write-build',
        setup(build) {
          build.onEnd(async (result: BuildResult<{ metafile: true; write: false }>) => {
            if (result.errors.length > 0) {
              const messages = await esbuild.formatMessages(result.errors, { kind: 'error' });
              options.onBuild?.(new Error(messages.join('\n')));
              return;
            }
            options.onBuild?.(await writeBuild(outdir, result.outputFiles, result.metafile));
          });
        },
      },
    ],
  });
  await context.watch();
  return () => context.dispose();
}
