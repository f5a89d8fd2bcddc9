/**
 * Durable Object storage limits, one named constant each, a unit in every name.
 *
 * Source for every value unless noted: https://developers.cloudflare.com/durable-objects/platform/limits/
 * (the messages that cite them follow workerd and wrangler's local simulator, see errors.ts).
 */

/** Where Cloudflare documents the values below. */
export const DO_STORAGE_LIMITS_DOCS_URL = "https://developers.cloudflare.com/durable-objects/platform/limits/";

/** Most keys one `get([...])` / `delete([...])`, or pairs one `put({...})`, may name. Enforced (RangeError). */
export const DO_MAX_KEYS_PER_BATCH = 128;

/** KV-backed classes (`new_classes`): longest key, in UTF-8 bytes ("Key size: 2 KiB"). Enforced (RangeError). */
export const DO_KV_BACKEND_MAX_KEY_SIZE_BYTES = 2048;

/** KV-backed classes: largest value, in bytes of its structured-clone serialisation ("Value size: 128 KiB"). Enforced (RangeError). */
export const DO_KV_BACKEND_MAX_VALUE_SIZE_BYTES = 131_072;

/**
 * SQLite-backed classes (`new_sqlite_classes`): largest key + serialised value, in bytes ("Key +
 * value size: 2 MB"; the same number bounds a string, BLOB or row of SQL data, as workerd configures
 * SQLite's length limit). Enforced for the KV API.
 */
export const DO_SQLITE_BACKEND_MAX_ENTRY_SIZE_BYTES = 2_000_000;

/** SQLite-backed classes: largest database, in bytes ("Storage per Durable Object: 10 GB"). Documented; not enforced. */
export const DO_SQLITE_BACKEND_MAX_DATABASE_SIZE_BYTES = 10 * 1000 * 1000 * 1000;

/** Most columns per SQL table. Documented; not enforced. */
export const DO_SQL_MAX_COLUMNS_PER_TABLE = 100;

/** Longest SQL statement, in bytes. Documented; not enforced. */
export const DO_SQL_MAX_STATEMENT_LENGTH_BYTES = 100_000;

/** Most bound parameters per SQL statement. Documented; not enforced. */
export const DO_SQL_MAX_BOUND_PARAMETERS = 100;

/** Most arguments of an SQL function call. Documented; not enforced. */
export const DO_SQL_MAX_FUNCTION_ARGUMENTS = 32;

/** Longest LIKE or GLOB pattern, in bytes. Documented; not enforced. */
export const DO_SQL_MAX_LIKE_PATTERN_BYTES = 50;
