/**
 * Static assets (Cloudflare Pages' asset server and `env.ASSETS`): the folder's only public entry.
 * index.test.ts pins this list.
 */
export { assetsDescriptor, createAssetsBinding } from "./binding.js";
export { ASSETS_MAX_REDIRECTS, createAssetsFetcher } from "./api.worker.js";
export type { AssetsFetcher } from "./api.worker.js";
export { AssetServer } from "./server.js";
export type { AssetBody, AssetRequest, AssetResult, AssetServerOptions } from "./server.js";
export type { AssetFile } from "./files.js";
export { contentTypeFor } from "./content-type.js";
export { parseHeadersFile, HEADERS_MAX_LINE_CHARS, HEADERS_MAX_RULES } from "./headers-file.js";
export type { HeaderRule, InvalidLine, ParsedHeaders } from "./headers-file.js";
export { parseRedirectsFile, REDIRECTS_MAX_DYNAMIC_RULES, REDIRECTS_MAX_LINE_CHARS, REDIRECTS_MAX_STATIC_RULES } from "./redirects-file.js";
export type { ParsedRedirects, RedirectRule } from "./redirects-file.js";
