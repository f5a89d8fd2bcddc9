/**
 * Every error that Durable Object storage throws to user code is made here, with the type and
 * wording Cloudflare uses (workerd's `actor-state.c++`, `sql.c++`, `util/sqlite.c++`, and
 * wrangler's local simulator where workerd leaves a check to it). Errors are built with this
 * realm's globals (the isolate's own), so `instanceof TypeError` holds in user code.
 */

export type StorageErrorType = "Error" | "TypeError" | "RangeError" | "DataCloneError";

/** The error user code sees. `DataCloneError` is a DOMException of that name, as `structuredClone` throws. */
export function storageError(type: StorageErrorType, message: string): Error {
  switch (type) {
    case "TypeError":
      return new TypeError(message);
    case "RangeError":
      return new RangeError(message);
    case "DataCloneError":
      return new DOMException(message, "DataCloneError");
    case "Error":
      return new Error(message);
  }
}

/** Messages used in more than one place. */
export const MESSAGES = {
  notSqlBacked: "Durable Object is not backed by SQL.",
  sqlNotEnabled:
    "SQL is not enabled for this Durable Object class. To enable it, change `new_classes` to " +
    "`new_sqlite_classes` within the 'migrations' field in your wrangler.jsonc or wrangler.toml file. " +
    "Note that this change cannot be made after the class is already deployed to production.",
  deleteAllInTransaction: "Cannot call deleteAll() within a transaction",
  closed: "This Durable Object's storage has been closed (the object was evicted or reset).",
} as const;
