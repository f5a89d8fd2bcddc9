/**
 * Workers KV limits, one named constant each, a unit in every name.
 *
 * Source for every value unless noted: https://developers.cloudflare.com/kv/platform/limits/
 * (checked against workerd `src/workerd/api/kv.c++` and miniflare `src/workers/kv/constants.ts`,
 * whose messages the api copies). Error messages interpolate these constants; see api.worker.ts.
 *
 * Pure module: imported from the Worker realm (api.worker.ts) and from Node code alike.
 */

/** Where Cloudflare documents the values below. */
export const KV_LIMITS_DOCS_URL = "https://developers.cloudflare.com/kv/platform/limits/";

/** Longest key, in UTF-8 bytes ("Key size: 512 bytes"). Also applies to a `list()` prefix. */
export const KV_MAX_KEY_SIZE_BYTES = 512;

/** Largest value, in bytes ("Value size: 25 MiB"). */
export const KV_MAX_VALUE_SIZE_BYTES = 25 * 1024 * 1024;

/** Largest metadata, in bytes of its JSON serialisation ("Metadata size: 1024 bytes"). */
export const KV_MAX_METADATA_SIZE_BYTES = 1024;

/** Smallest `expirationTtl`, and smallest distance of an absolute `expiration` from now, in seconds. */
export const KV_MIN_EXPIRATION_TTL_SECONDS = 60;

/**
 * Smallest `cacheTtl` accepted by `get()`, in seconds. Cloudflare's docs give 60 as minimum and
 * default for production; wrangler's local simulator (miniflare) accepts 30. Hearth accepts 30 so
 * code that runs under `wrangler dev` runs here too. `cacheTtl` is otherwise ignored: a single
 * node has no edge cache to tune.
 */
export const KV_MIN_CACHE_TTL_SECONDS = 30;

/** Largest (and default) `limit` of one `list()` page, in keys. */
export const KV_MAX_LIST_LIMIT_KEYS = 1000;

/** Most keys in one bulk `get([...])` / `getWithMetadata([...])`, in keys (changelog 2025-04-10). */
export const KV_MAX_BULK_GET_KEYS = 100;

/** Largest total size of the values one bulk read returns, in bytes ("25MB" in the message). */
export const KV_MAX_BULK_GET_TOTAL_BYTES = 25 * 1024 * 1024;

/**
 * KV operations one invocation may make, in operations ("1,000 operations per Worker invocation").
 * Documented for completeness; Hearth does not enforce it (resource limits belong to the runtime's
 * policy, not to the binding).
 */
export const KV_MAX_OPERATIONS_PER_INVOCATION = 1000;

