import assert from "node:assert/strict";
import { it } from "node:test";
import * as assets from "./index.js";

it("src/bindings/assets/index.ts exports exactly its public surface", () => {
  assert.deepEqual(Object.keys(assets).sort(), [
    "ASSETS_MAX_REDIRECTS",
    "AssetServer",
    "HEADERS_MAX_LINE_CHARS",
    "HEADERS_MAX_RULES",
    "REDIRECTS_MAX_DYNAMIC_RULES",
    "REDIRECTS_MAX_LINE_CHARS",
    "REDIRECTS_MAX_STATIC_RULES",
    "assetsDescriptor",
    "contentTypeFor",
    "createAssetsBinding",
    "createAssetsFetcher",
    "parseHeadersFile",
    "parseRedirectsFile",
  ]);
});
