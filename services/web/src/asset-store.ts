import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

import {
  INDEX_FILE,
  MANIFEST_FILE,
  contentTypeOf,
  parseManifest,
  resolveAssetFile,
} from './asset-manifest.js';

/** One file ready to send: its bytes, type and a strong validator. */
export interface Asset {
  body: Buffer;
  contentType: string;
  /** Quoted strong ETag derived from the bytes. */
  etag: string;
  immutable: boolean;
}

/** The storefront as built: the page and every file the manifest lists, by URL path (`/assets/app-X.js`). */
export interface LoadedAssets {
  index: Asset;
  files: ReadonlyMap<string, Asset>;
}

export interface AssetStore {
  /** The assets as the folder holds them now; undefined while they are not built (no manifest). */
  current(): Promise<LoadedAssets | undefined>;
}

const toAsset = (body: Buffer, contentType: string, immutable: boolean): Asset => ({
  body,
  contentType,
  etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
  immutable,
});

/** Reads a build into memory: the manifest first, then only the files it names (checked names). */
export async function loadAssets(root: string): Promise<LoadedAssets> {
  const manifest = parseManifest(await readFile(path.join(root, MANIFEST_FILE), 'utf8'));
  const files = new Map<string, Asset>();
  for (const entry of manifest.files) {
    const resolved = resolveAssetFile(root, entry.file);
    if (!resolved) throw new Error(`${MANIFEST_FILE} names a file that may not be served: ${entry.file}`);
    files.set(
      `/${entry.file}`,
      toAsset(await readFile(resolved), contentTypeOf(entry.file)!, entry.immutable),
    );
  }
  const index = toAsset(await readFile(path.join(root, INDEX_FILE)), contentTypeOf(INDEX_FILE)!, false);
  return { index, files };
}

/**
 * The built storefront under `root`, kept in memory (a few hundred kB) and read again when the
 * manifest changes, so a rebuild (`make build`, the asset watcher) shows without a restart. Files
 * are only ever read by the names a manifest lists; a request path never reaches the file system.
 */
export function createAssetStore(root: string): AssetStore {
  let loaded: { mtimeMs: number; assets: Promise<LoadedAssets> } | undefined;
  return {
    async current() {
      let mtimeMs: number;
      try {
        mtimeMs = (await stat(path.join(root, MANIFEST_FILE))).mtimeMs;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
      if (loaded?.mtimeMs !== mtimeMs) {
        const assets = loadAssets(root);
        loaded = { mtimeMs, assets };
        // A build caught half-way is read again on the next request rather than remembered.
        assets.catch(() => {
          if (loaded?.assets === assets) loaded = undefined;
        });
      }
      return loaded.assets;
    },
  };
}
