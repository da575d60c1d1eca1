import path from 'node:path';

/** The file a build writes last: its presence means the assets in the folder are complete. */
export const MANIFEST_FILE = 'manifest.json';
/** The page every browser route of the single-page app answers with. */
export const INDEX_FILE = 'index.html';

/** One built file, named by its path inside the assets folder (`assets/app-3K5TQ2UN.js`). */
export interface ManifestEntry {
  file: string;
  /** Content-hashed name: the bytes behind it never change, so browsers may keep it a year. */
  immutable: boolean;
}

/** `manifest.json`: exactly the files the gateway may serve, and nothing else. */
export interface AssetManifest {
  version: 1;
  index: typeof INDEX_FILE;
  files: ManifestEntry[];
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Relative names of plain segments only: no `..`, no leading `/`, no backslash, nothing encoded. */
const SAFE_FILE = /^(?:[A-Za-z0-9_-][A-Za-z0-9._-]*\/)*[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** The Content-Type of a built file, or undefined for an extension the storefront never emits. */
export function contentTypeOf(file: string): string | undefined {
  return CONTENT_TYPES[path.extname(file).toLowerCase()];
}

/**
 * Where `file` lives under `root`, or undefined when the name could leave the folder or is of a
 * type that is never served. Every name from a manifest goes through here before the file system.
 */
export function resolveAssetFile(root: string, file: string): string | undefined {
  if (!SAFE_FILE.test(file) || file.split('/').some((segment) => /^\.+$/.test(segment))) return undefined;
  if (!contentTypeOf(file)) return undefined;
  const base = path.resolve(root);
  const resolved = path.resolve(base, file);
  return resolved.startsWith(base + path.sep) ? resolved : undefined;
}

/** Parses `manifest.json`; throws naming what is wrong, so a broken build is reported, not served. */
export function parseManifest(text: string): AssetManifest {
  const value = JSON.parse(text) as Partial<AssetManifest>;
  if (value.version !== 1 || value.index !== INDEX_FILE || !Array.isArray(value.files)) {
    throw new Error(`${MANIFEST_FILE} is not a version 1 storefront manifest`);
  }
  for (const entry of value.files) {
    if (typeof entry?.file !== 'string' || typeof entry.immutable !== 'boolean') {
      throw new Error(`${MANIFEST_FILE} has a malformed entry: ${JSON.stringify(entry)}`);
    }
  }
  return value as AssetManifest;
}
