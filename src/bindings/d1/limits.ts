/**
 * D1 limits, one named constant each, a unit in every name.
 *
 * Source for every value unless noted: https://developers.cloudflare.com/d1/platform/limits/
 * (checked against workerd's `src/workerd/util/sqlite.c++`, which sets SQLite's run-time limits
 * for D1 and Durable Object databases). Messages that cite a limit interpolate these constants.
 *
 * Pure module: imported from the Worker realm and from Node code alike.
 */

/** Where Cloudflare documents the values below. */
export const D1_LIMITS_DOCS_URL = "https://developers.cloudflare.com/d1/platform/limits/";

/** Longest SQL text one query may send, in UTF-8 bytes ("Maximum SQL statement length: 100,000 bytes"). Enforced. */
export const D1_MAX_SQL_LENGTH_BYTES = 100_000;

/** Most bound parameters one statement may have ("Maximum bound parameters per query: 100"). Enforced. */
export const D1_MAX_BOUND_PARAMETERS = 100;

/**
 * Largest string or BLOB bound to a statement, in bytes. The D1 limits table says 1,000,000; the
 * SQLite engine that runs D1 (and `wrangler dev`) is configured for 2,000,000, the Durable Object
 * SQL limit (https://developers.cloudflare.com/durable-objects/platform/limits/). Hearth enforces
 * the engine's value, so nothing that runs under `wrangler dev` fails here. Enforced for bound values.
 */
export const D1_MAX_VALUE_SIZE_BYTES = 2_000_000;

/** Most columns per table ("Maximum number of columns per table: 100"). Documented; not enforced. */
export const D1_MAX_COLUMNS_PER_TABLE = 100;

/** Longest a single query may run, in seconds ("Maximum SQL query duration: 30 seconds"). Documented; not enforced. */
export const D1_MAX_QUERY_DURATION_SECONDS = 30;

/** Queries one Worker invocation may make on the Workers Paid plan (50 on Free). Documented; not enforced. */
export const D1_MAX_QUERIES_PER_INVOCATION = 1000;

/** Largest database on the Workers Paid plan, in bytes ("10 GB"; 500 MB on Free). Documented; not enforced. */
export const D1_MAX_DATABASE_SIZE_BYTES = 10 * 1000 * 1000 * 1000;
