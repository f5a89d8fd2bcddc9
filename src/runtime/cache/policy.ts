/**
 * Which responses `cache.put()` stores, and for how long: the shared-cache rules of RFC 9111 as
 * Cloudflare applies them (and as wrangler's local cache does, through http-cache-semantics):
 *
 * - not stored: `no-store`; `private` (unqualified); a `Set-Cookie` header, unless
 *   `private=Set-Cookie` names it (then the header is dropped and the rest stored); a request with
 *   `Authorization` unless `public`, `s-maxage` or `must-revalidate` allow it; a status a cache
 *   does not understand;
 * - freshness, in order: `no-cache` and `proxy-revalidate` → 0; `s-maxage`; `max-age`;
 *   `Expires` − `Date` (an invalid or past Expires → 0); 10 % of `Date` − `Last-Modified`; else 0
 *   — minus the response's `Age`. A lifetime of 0 is not stored.
 *
 * Pure module: the time is passed in.
 */
import { deltaSeconds, fieldNames, parseCacheControl } from "./cache-control.js";

/** Statuses a cache understands (RFC 9110/9111), as http-cache-semantics lists them. */
const UNDERSTOOD_STATUSES = new Set([200, 203, 204, 206, 300, 301, 302, 303, 307, 308, 404, 405, 410, 414, 501]);
/** Statuses cacheable without explicit freshness information. */
const HEURISTIC_STATUSES = new Set([200, 203, 204, 300, 301, 404, 405, 410, 414, 501]);
/** Share of the time since Last-Modified used as lifetime when nothing else says (RFC 9111 4.2.2). */
const LAST_MODIFIED_HEURISTIC_FRACTION = 0.1;
const MS_PER_SECOND = 1000;

export interface StoreDecision {
  /** Milliseconds since the epoch after which the entry is no longer served. */
  expiresAtMs: number;
  /** The response headers to store (fields named by `private=` removed). */
  headers: [string, string][];
}

/** How `put` should store the response, or undefined when Cloudflare would not store it. */
export function storeDecision(
  status: number,
  responseHeaders: Headers,
  requestHeaders: Headers,
  nowMs: number,
): StoreDecision | undefined {
  if (!UNDERSTOOD_STATUSES.has(status)) return undefined;
  const cc = parseCacheControl(responseHeaders.get("cache-control"));
  if (cc.has("no-store")) return undefined;
  const privateFields = cc.get("private");
  if (privateFields === "") return undefined;
  const dropped = new Set(privateFields === undefined ? [] : fieldNames(privateFields));
  const headers = [...responseHeaders].filter(([name]) => !dropped.has(name));
  if (headers.some(([name]) => name === "set-cookie")) return undefined;
  if (requestHeaders.has("authorization") && !cc.has("public") && !cc.has("s-maxage") && !cc.has("must-revalidate")) return undefined;

  const explicit = cc.has("max-age") || cc.has("s-maxage") || cc.has("public") || responseHeaders.has("expires");
  if (!explicit && !HEURISTIC_STATUSES.has(status)) return undefined;

  const lifetimeSeconds = freshnessLifetime(cc, responseHeaders, nowMs) - age(responseHeaders);
  if (!(lifetimeSeconds > 0)) return undefined;
  return { expiresAtMs: nowMs + lifetimeSeconds * MS_PER_SECOND, headers };
}

function freshnessLifetime(cc: Map<string, string>, headers: Headers, nowMs: number): number {
  if (cc.has("no-cache") || cc.has("proxy-revalidate")) return 0;
  const sMaxAge = deltaSeconds(cc, "s-maxage");
  if (sMaxAge !== undefined) return sMaxAge;
  const maxAge = deltaSeconds(cc, "max-age");
  if (maxAge !== undefined) return maxAge;
  const date = httpDate(headers.get("date")) ?? nowMs;
  const expires = headers.get("expires");
  if (expires !== null) {
    const at = httpDate(expires);
    return at === undefined || at < date ? 0 : (at - date) / MS_PER_SECOND;
  }
  const lastModified = httpDate(headers.get("last-modified"));
  if (lastModified !== undefined && date > lastModified) return ((date - lastModified) / MS_PER_SECOND) * LAST_MODIFIED_HEURISTIC_FRACTION;
  return 0;
}

function age(headers: Headers): number {
  const value = headers.get("age");
  return value !== null && /^\d+$/.test(value.trim()) ? Number(value.trim()) : 0;
}

/** An HTTP date in milliseconds since the epoch; undefined when missing or invalid. */
export function httpDate(value: string | null): number | undefined {
  if (value === null) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
