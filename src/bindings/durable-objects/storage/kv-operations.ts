/**
 * The asynchronous KV and alarm operations that `ctx.storage` and a transaction's `txn` share:
 * argument checks in workerd's order, then the read or write on the object's database. Writes join
 * the current write batch (write-batch.ts), so they commit with the other writes of the turn; reads
 * see pending writes. Every function is `async`, so argument errors reject the returned promise.
 */
import type { Buffer } from "node:buffer";
import { storageError } from "./errors.js";
import { checkBatchSize, checkEntry, checkKey, compileListOptions, keyBytes, type ListOptionsLike } from "./kv-arguments.js";
import type { StorageContext } from "./storage-context.js";
import { deserializeValue, serializeValue } from "./values.js";

const PUT_SIGNATURE_MESSAGE =
  "put() may only be called with a single key-value pair and optional options as put(key, value, options) " +
  "or with multiple key-value pairs and optional options as put(entries, options)";

/** A key checked against the backend's limits, with its bytes. */
function checkedKey(ctx: StorageContext, key: unknown, many: boolean): Buffer {
  const text = String(key);
  const bytes = keyBytes(text);
  checkKey(ctx.backend, text, bytes, many);
  return bytes;
}

/** `get(key)` → value | undefined; `get(keys)` → Map of the keys that exist, in key order. */
export async function kvGet(ctx: StorageContext, keys: unknown): Promise<unknown> {
  ctx.check();
  if (!Array.isArray(keys)) {
    const value = ctx.database.kvGet(checkedKey(ctx, keys, false));
    return value === undefined ? undefined : deserializeValue(value);
  }
  checkBatchSize(keys.length);
  const wanted = keys.map((key) => checkedKey(ctx, key, true));
  const found: { key: Buffer; value: Buffer }[] = [];
  for (const key of wanted) {
    const value = ctx.database.kvGet(key);
    if (value !== undefined) found.push({ key, value });
  }
  found.sort((a, b) => a.key.compare(b.key));
  return new Map(found.map(({ key, value }) => [key.toString("utf8"), deserializeValue(value)]));
}

/** `put(key, value)` or `put(entries)`; entries whose value is undefined are skipped. */
export async function kvPut(ctx: StorageContext, keyOrEntries: unknown, value: unknown): Promise<void> {
  ctx.check();
  const writes: { key: Buffer; value: Buffer }[] = [];
  if (keyOrEntries !== null && typeof keyOrEntries === "object") {
    // The second argument of put(entries, …) must be an options dictionary.
    if (value !== undefined && value !== null && typeof value !== "object" && typeof value !== "function") {
      throw storageError("TypeError", PUT_SIGNATURE_MESSAGE);
    }
    const entries = Object.entries(keyOrEntries).filter(([, v]) => v !== undefined);
    checkBatchSize(entries.length);
    for (const [name, entryValue] of entries) {
      const key = checkedKey(ctx, name, true);
      const serialized = serializeValue(entryValue);
      checkEntry(ctx.backend, name, key, serialized, true);
      writes.push({ key, value: serialized });
    }
  } else {
    if (value === undefined) throw storageError("TypeError", "put() called with undefined value.");
    const key = checkedKey(ctx, keyOrEntries, false);
    const serialized = serializeValue(value);
    checkEntry(ctx.backend, String(keyOrEntries), key, serialized, false);
    writes.push({ key, value: serialized });
  }
  if (writes.length === 0) return;
  ctx.batch.beginWrite();
  for (const write of writes) ctx.database.kvPut(write.key, write.value);
}

/** `delete(key)` → whether it existed; `delete(keys)` → how many existed. */
export async function kvDelete(ctx: StorageContext, keys: unknown): Promise<boolean | number> {
  ctx.check();
  if (!Array.isArray(keys)) {
    const key = checkedKey(ctx, keys, false);
    ctx.batch.beginWrite();
    return ctx.database.kvDelete(key);
  }
  checkBatchSize(keys.length);
  const doomed = keys.map((key) => checkedKey(ctx, key, true));
  if (doomed.length === 0) return 0;
  ctx.batch.beginWrite();
  let count = 0;
  for (const key of doomed) if (ctx.database.kvDelete(key)) count++;
  return count;
}

/** `list(options)` → Map of the keys in range, ascending (or descending with `reverse`). */
export async function kvList(ctx: StorageContext, options: ListOptionsLike | undefined): Promise<Map<string, unknown>> {
  ctx.check();
  const range = compileListOptions(options);
  if (range === null) return new Map();
  return new Map(ctx.database.kvList(range).map((row) => [row.key.toString("utf8"), deserializeValue(row.value)]));
}

export async function getAlarm(ctx: StorageContext): Promise<number | null> {
  ctx.check();
  return ctx.database.alarm();
}

/** `setAlarm(time)`: one alarm per object; a time in the past fires as soon as possible (stored as now). */
export async function setAlarm(ctx: StorageContext, scheduledTime: unknown): Promise<void> {
  ctx.check();
  const ms = scheduledTime instanceof Date ? scheduledTime.getTime() : scheduledTime;
  if (typeof ms !== "number" || Number.isNaN(ms)) {
    throw storageError("TypeError", "setAlarm() requires a Date or a number of milliseconds since the epoch.");
  }
  if (ms <= 0) throw storageError("TypeError", "setAlarm() cannot be called with an alarm time <= 0");
  if (!ctx.hasAlarmHandler()) {
    throw storageError("TypeError", "Your Durable Object class must have an alarm() handler in order to call setAlarm()");
  }
  // Like workerd: whole milliseconds, and never before now (an alarm in the past runs at once).
  const time = Math.max(Math.floor(Math.min(ms, Number.MAX_SAFE_INTEGER)), Math.floor(ctx.clock.now()));
  ctx.batch.beginWrite();
  ctx.database.setAlarm(time);
  ctx.alarmWritten();
}

export async function deleteAlarm(ctx: StorageContext): Promise<void> {
  ctx.check();
  ctx.batch.beginWrite();
  ctx.database.setAlarm(null);
  ctx.alarmWritten();
}
