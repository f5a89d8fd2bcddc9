/**
 * R2 limits, one named constant each, a unit in every name.
 *
 * Source for every value unless noted: https://developers.cloudflare.com/r2/platform/limits/
 * (checked against workerd `src/workerd/api/r2-bucket.c++` / `r2-multipart.c++` and miniflare
 * `src/workers/r2/constants.ts`, whose error codes and messages errors.ts copies).
 *
 * Pure module: imported from the Worker realm (api.worker.ts) and from Node code alike.
 */

/** Where Cloudflare documents the values below. */
export const R2_LIMITS_DOCS_URL = "https://developers.cloudflare.com/r2/platform/limits/";

/** Where Cloudflare documents the binding's methods and options. */
export const R2_API_DOCS_URL = "https://developers.cloudflare.com/r2/api/workers/workers-api-reference/";

/** Longest object key, in UTF-8 bytes ("Object key length: 1,024 bytes"). */
export const R2_MAX_KEY_SIZE_BYTES = 1024;

/**
 * Largest custom metadata, in bytes: the UTF-8 lengths of every name and value added up
 * ("Object metadata size: 8,192 bytes"). wrangler's local simulator enforces 2,048; Hearth follows
 * production, as api-surface.md asks where the two differ.
 */
export const R2_MAX_METADATA_SIZE_BYTES = 8192;

/** Largest object one `put()` (or one `uploadPart()`) may write, in bytes ("5 GiB − 5 MiB"). */
export const R2_MAX_PUT_SIZE_BYTES = 5 * 1024 ** 3 - 5 * 1024 ** 2;

/** Largest object a multipart upload may assemble, in bytes ("Object size: 5 TiB − 5 GiB"). */
export const R2_MAX_OBJECT_SIZE_BYTES = 5 * 1024 ** 4 - 5 * 1024 ** 3;

/** Smallest part of a multipart upload except the last one, in bytes ("5 MiB"). */
export const R2_MIN_MULTIPART_PART_SIZE_BYTES = 5 * 1024 ** 2;

/** Highest part number of a multipart upload; parts are numbered from 1 ("10,000 parts"). */
export const R2_MAX_MULTIPART_PARTS = 10_000;

/**
 * How long an incomplete multipart upload lives, in milliseconds ("Incomplete multipart uploads
 * are aborted after 7 days", https://developers.cloudflare.com/r2/objects/multipart-objects/).
 */
export const R2_MULTIPART_UPLOAD_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/** Largest (and default) `limit` of one `list()` page, in objects plus delimited prefixes. */
export const R2_MAX_LIST_LIMIT_KEYS = 1000;

/** Most keys one `delete([...])` call may name, in keys (the `delete()` entry of R2_API_DOCS_URL). */
export const R2_MAX_DELETE_KEYS = 1000;
