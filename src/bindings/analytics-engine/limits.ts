/**
 * Workers Analytics Engine limits, one named constant each.
 *
 * Source: https://developers.cloudflare.com/analytics/analytics-engine/limits/ and the changelog
 * of 2025-06-20 (total blob size raised to 16 KB). Pure module: imported from the Worker realm and
 * from Node code alike.
 */

/** Where Cloudflare documents the values below. */
export const AE_LIMITS_DOCS_URL = "https://developers.cloudflare.com/analytics/analytics-engine/limits/";

/** Most blobs in one data point. */
export const AE_MAX_BLOBS = 20;
/** Most doubles in one data point. */
export const AE_MAX_DOUBLES = 20;
/** Most indexes in one data point. */
export const AE_MAX_INDEXES = 1;
/** Largest index, in bytes. */
export const AE_MAX_INDEX_SIZE_BYTES = 96;
/** Largest total size of a data point's blobs, in bytes. */
export const AE_MAX_TOTAL_BLOB_SIZE_BYTES = 16 * 1024;
