/**
 * Arguments of the KV APIs (async `ctx.storage.*` and sync `ctx.storage.kv.*`): keys as UTF-8
 * bytes, the limits of each backend with Cloudflare's errors, and `list()` options turned into a key
 * range exactly as workerd's `compileListOptions` does (byte-wise comparisons; `startAfter` becomes
 * an inclusive start just past it; `prefix` clamps `start` and `end`; empty ranges are detected
 * before any read).
 */
import { Buffer } from "node:buffer";
import { prefixUpperBound } from "../../../shared/bytes.js";
import { storageError } from "./errors.js";
import {
  DO_KV_BACKEND_MAX_KEY_SIZE_BYTES,
  DO_KV_BACKEND_MAX_VALUE_SIZE_BYTES,
  DO_MAX_KEYS_PER_BATCH,
  DO_SQLITE_BACKEND_MAX_ENTRY_SIZE_BYTES,
} from "./limits.js";
import type { KvRange } from "./object-database.js";

/** Which limits apply: KV-backed classes (`new_classes`) or SQLite-backed ones (`new_sqlite_classes`). */
export type StorageBackend = "kv" | "sqlite";

/** `list()` options, as `DurableObjectListOptions` / `SyncKvListOptions` declare them. */
export interface ListOptionsLike {
  start?: string;
  startAfter?: string;
  end?: string;
  prefix?: string;
  reverse?: boolean;
  limit?: number;
}

/** A key as the stored bytes; keys are coerced to strings as workerd's bindings do. */
export function keyBytes(key: unknown): Buffer {
  return Buffer.from(String(key), "utf8");
}

/** Rejects batches over Cloudflare's 128 keys. */
export function checkBatchSize(count: number): void {
  if (count > DO_MAX_KEYS_PER_BATCH) throw storageError("RangeError", `Maximum number of keys is ${DO_MAX_KEYS_PER_BATCH}.`);
}

/** Checks a key's size; `many` picks the message of multi-key calls, which names the key. */
export function checkKey(backend: StorageBackend, key: string, bytes: Buffer, many: boolean): void {
  if (backend !== "kv" || bytes.length <= DO_KV_BACKEND_MAX_KEY_SIZE_BYTES) return;
  throw storageError(
    "RangeError",
    many
      ? `Key "${key}" is larger than the limit of ${DO_KV_BACKEND_MAX_KEY_SIZE_BYTES} bytes.`
      : `Keys cannot be larger than ${DO_KV_BACKEND_MAX_KEY_SIZE_BYTES} bytes.`,
  );
}

/** Checks a serialised value (and, on SQLite-backed classes, key + value) against the backend's limit. */
export function checkEntry(backend: StorageBackend, key: string, keyBytes: Buffer, value: Buffer, many: boolean): void {
  if (backend === "sqlite") {
    // What SQLite answers when a row exceeds the length limit workerd configures.
    if (keyBytes.length + value.length > DO_SQLITE_BACKEND_MAX_ENTRY_SIZE_BYTES) {
      throw storageError("Error", "string or blob too big: SQLITE_TOOBIG");
    }
    return;
  }
  if (value.length <= DO_KV_BACKEND_MAX_VALUE_SIZE_BYTES) return;
  throw storageError(
    "RangeError",
    many
      ? `Value for key "${key}" is above the limit of ${DO_KV_BACKEND_MAX_VALUE_SIZE_BYTES} bytes.`
      : `Values cannot be larger than ${DO_KV_BACKEND_MAX_VALUE_SIZE_BYTES} bytes.`,
  );
}

/** An optional string option: absent when undefined, otherwise coerced as workerd's bindings coerce. */
function optionalString(value: unknown): string | undefined {
  return value === undefined ? undefined : String(value);
}

/** The key range `options` select, or null when it is certainly empty. */
export function compileListOptions(options: ListOptionsLike | undefined): KvRange | null {
  const o = options ?? {};
  const startOption = optionalString(o.start);
  const startAfter = optionalString(o.startAfter);
  const prefixOption = optionalString(o.prefix);
  const endOption = optionalString(o.end);
  let start: Buffer = Buffer.alloc(0);
  let end: Buffer | null = null;
  let limit: number | null = null;
  if (startOption !== undefined) {
    if (startAfter !== undefined) {
      throw storageError("TypeError", "list() cannot be called with both start and startAfter values.");
    }
    start = keyBytes(startOption);
  }
  // "Just after startAfter" is startAfter followed by a NUL byte.
  if (startAfter !== undefined) start = Buffer.concat([keyBytes(startAfter), Buffer.from([0])]);
  if (endOption !== undefined) end = keyBytes(endOption);
  if (o.limit !== undefined) {
    const value = Math.floor(Number(o.limit)); // a whole number, as workerd's binding converts it
    if (!(value > 0)) throw storageError("TypeError", "List limit must be positive.");
    limit = Number.isFinite(value) ? value : null;
  }
  if (prefixOption !== undefined && prefixOption.length > 0) {
    const prefix = keyBytes(prefixOption);
    if (Buffer.compare(start, prefix) < 0) start = prefix;
    else if (!startsWith(start, prefix)) return null; // start is past every key with the prefix
    const afterPrefix = prefixUpperBound(prefix);
    if (afterPrefix !== null) {
      if (end === null) end = afterPrefix;
      else if (Buffer.compare(end, prefix) <= 0) return null;
      else if (!startsWith(end, prefix)) end = afterPrefix;
    }
  }
  if (end !== null && Buffer.compare(end, start) <= 0) return null;
  return { start, end, reverse: Boolean(o.reverse), limit };
}

function startsWith(bytes: Buffer, prefix: Buffer): boolean {
  return bytes.length >= prefix.length && bytes.subarray(0, prefix.length).equals(prefix);
}
