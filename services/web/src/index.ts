/**
 * @cartwheel/web: the storefront and admin single-page app. The browser code lives in `app/`;
 * this package builds it into static files and tells the gateway where they are.
 */
import { fileURLToPath } from 'node:url';

/**
 * Absolute path of the built assets (`services/web/dist/public`): the default folder
 * `buildAssets` fills and the gateway serves. Resolved from this file, so it is the same from
 * `src/` (tsx) and from `dist/`.
 */
export const assetsDir = fileURLToPath(new URL('../dist/public', import.meta.url));

export {
  buildAssets,
  indexHtml,
  watchAssets,
  type BuildAssetsOptions,
  type BuiltAssets,
} from './build-assets.js';
export {
  createAssetStore,
  loadAssets,
  type Asset,
  type AssetStore,
  type LoadedAssets,
} from './asset-store.js';
export {
  INDEX_FILE,
  MANIFEST_FILE,
  contentTypeOf,
  resolveAssetFile,
  type AssetManifest,
  type ManifestEntry,
} from './asset-manifest.js';
