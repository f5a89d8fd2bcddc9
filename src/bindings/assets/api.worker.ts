/**
 * `env.ASSETS` as user code sees it (api-surface.md 2.8): a Fetcher whose `fetch()` asks the asset
 * server for the URL's path (the host is ignored). Like a service binding's fetch it follows
 * redirects unless the request says `redirect: "manual"` (then the 3xx is returned) or `"error"`.
 */
import fs from "node:fs/promises";
import type { AssetResult, AssetServer } from "./server.js";

/** What Workers' fetch allows before giving up on a redirect chain. */
export const ASSETS_MAX_REDIRECTS = 20;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface AssetsFetcher {
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
}

export function createAssetsFetcher(server: AssetServer): AssetsFetcher {
  return {
    async fetch(input, init) {
      // A bare path ("/about") is accepted too; it has no host to ignore.
      const resolved = typeof input === "string" && input.startsWith("/") ? new URL(input, "http://assets.local") : input;
      const request = new Request(resolved, init);
      let url = request.url;
      let method = request.method;
      for (let hops = 0; ; hops++) {
        const result = server.serve({ method, url, headers: request.headers });
        const location = result.headers.get("location");
        if (!REDIRECT_STATUSES.has(result.status) || location === null || request.redirect === "manual") {
          return toResponse(result);
        }
        if (request.redirect === "error") throw new TypeError(`Fetch failed: redirect to ${location} with redirect mode "error".`);
        if (hops >= ASSETS_MAX_REDIRECTS) throw new TypeError("Fetch failed: too many redirects.");
        url = new URL(location, url).href;
        if (result.status === 303 && method !== "HEAD") method = "GET";
      }
    },
  };
}

async function toResponse(result: AssetResult): Promise<Response> {
  let body: BodyInit | null = null;
  if (result.body !== null) {
    body = result.body.kind === "text" ? result.body.text : new Uint8Array(await fs.readFile(result.body.path));
  }
  return new Response(body, { status: result.status, statusText: result.statusText, headers: result.headers });
}
