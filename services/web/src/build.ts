/**
 * `node services/web/dist/build.js [--watch] [--outdir DIR]`: builds the storefront into
 * `dist/public` (the root `npm run build` runs it after `tsc -b`); `--watch` rebuilds on change.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';

import { buildAssets, watchAssets, type BuiltAssets } from './build-assets.js';
import { assetsDir } from './index.js';

const { values } = parseArgs({
  options: { watch: { type: 'boolean', default: false }, outdir: { type: 'string', default: assetsDir } },
});
const outdir = path.resolve(values.outdir);

const describe = (built: BuiltAssets) =>
  `storefront built into ${path.relative(process.cwd(), outdir) || '.'}: ${built.files.length} files (${built.script})`;

if (values.watch) {
  await watchAssets({
    outdir,
    onBuild: (built) => {
      if (built instanceof Error) console.error(`storefront build failed:\n${built.message}`);
      else console.log(describe(built));
    },
  });
  console.log('watching services/web/app for changes (Ctrl-C stops)');
} else {
  try {
    console.log(describe(await buildAssets({ outdir })));
  } catch (error) {
    const failure = error as { errors?: { text: string; location?: { file: string; line: number } }[] };
    const lines = failure.errors?.map((e) => `${e.location?.file ?? ''}:${e.location?.line ?? ''} ${e.text}`);
    console.error(`storefront build failed:\n${lines?.join('\n') ?? String(error)}`);
    process.exitCode = 1;
  }
}
