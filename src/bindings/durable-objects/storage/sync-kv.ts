/**
 * `ctx.storage.kv`: the synchronous KV API of SQLite-backed classes (workerd's `sync-kv.c++`). The
 * same `_cf_KV` table as the async API, so both see the same data; writes join the write batch.
 * Unlike async `put()`, `put(key, undefined)` stores `undefined`, as workerd does. `list()` returns
 * an iterator of `[key, value]` pairs (read in full when called).
 */
import { checkEntry, checkKey, compileListOptions, keyBytes, type ListOptionsLike } from "./kv-arguments.js";
import type { StorageContext } from "./storage-context.js";
import { deserializeValue, serializeValue } from "./values.js";

export class SyncKvStorage {
  readonly #ctx: StorageContext;

  constructor(ctx: StorageContext) {
    this.#ctx = ctx;
  }

  get(key: unknown): unknown {
    this.#ctx.check();
    const value = this.#ctx.database.kvGet(this.#key(key));
    return value === undefined ? undefined : deserializeValue(value);
  }

  put(key: unknown, value: unknown): void {
    this.#ctx.check();
    const bytes = this.#key(key);
    const serialized = serializeValue(value);
    checkEntry(this.#ctx.backend, String(key), bytes, serialized, false);
    this.#ctx.batch.beginWrite();
    this.#ctx.database.kvPut(bytes, serialized);
  }

  delete(key: unknown): boolean {
    this.#ctx.check();
    const bytes = this.#key(key);
    this.#ctx.batch.beginWrite();
    return this.#ctx.database.kvDelete(bytes);
  }

  list(options?: ListOptionsLike): IterableIterator<[string, unknown]> {
    this.#ctx.check();
    const range = compileListOptions(options);
    const rows = range === null ? [] : this.#ctx.database.kvList(range);
    return rows.map((row): [string, unknown] => [row.key.toString("utf8"), deserializeValue(row.value)]).values();
  }

  #key(key: unknown) {
    const text = String(key);
    const bytes = keyBytes(text);
    checkKey(this.#ctx.backend, text, bytes, false);
    return bytes;
  }
}
