/**
 * Wiring for the Pages assets binding: the descriptor the host hands an isolate, and the
 * `env.ASSETS` value made from it inside the isolate.
 */
import type { AssetsBinding } from "../descriptor.js";
import { createAssetsFetcher, type AssetsFetcher } from "./api.worker.js";
import { AssetServer } from "./server.js";

/** The descriptor for a folder served as `env.<name>` (Pages calls it ASSETS). */
export function assetsDescriptor(name: string, directory: string): AssetsBinding {
  return { kind: "assets", name, directory };
}

/** `env.ASSETS` inside an isolate. Warnings about `_headers`/`_redirects` are left to the host's own server. */
export function createAssetsBinding(descriptor: AssetsBinding): AssetsFetcher {
  return createAssetsFetcher(new AssetServer({ directory: descriptor.directory }));
}
