/**
 * `ctx.storage`: the `DurableObjectStorage` user code sees. The KV and alarm operations live in
 * kv-operations.ts (shared with `txn`); this class adds what only the storage object has:
 * `deleteAll`, `transaction`, `transactionSync`, `sync`, `sql`, `kv` and the point-in-time-recovery
 * methods. Options objects (`allowConcurrency`, `allowUnconfirmed`, `noCache`) are accepted; input
 * and output gates are the engine's (it flushes before anything leaves the object).
 */
import { MESSAGES, storageError } from "./errors.js";
import { deleteAlarm, getAlarm, kvDelete, kvGet, kvList, kvPut, setAlarm } from "./kv-operations.js";
import type { SqlStorage } from "./sql-storage.js";
import type { StorageContext } from "./storage-context.js";
import type { SyncKvStorage } from "./sync-kv.js";
import type { TransactionRunner } from "./transaction.js";
import type { DurableObjectListOptions, DurableObjectTransactionLike } from "./types.js";

/** The parts of an object's storage the API object hands out. */
export interface StorageParts {
  ctx: StorageContext;
  transactions: TransactionRunner;
  /** Present for SQLite-backed classes only. */
  sql: SqlStorage | undefined;
  kv: SyncKvStorage | undefined;
}

function pitrUnsupported(method: string): Promise<never> {
  return Promise.reject(
    storageError(
      "Error",
      `${method}() is not supported: Hearth does not keep the history point-in-time recovery needs. ` +
        "Bookmarks exist only for SQLite-backed Durable Objects on Cloudflare.",
    ),
  );
}

export class DurableObjectStorage {
  readonly #parts: StorageParts;

  constructor(parts: StorageParts) {
    this.#parts = parts;
  }

  get(keys: unknown, _options?: unknown): Promise<unknown> {
    return kvGet(this.#parts.ctx, keys);
  }

  put(keyOrEntries: unknown, value?: unknown, _options?: unknown): Promise<void> {
    return kvPut(this.#parts.ctx, keyOrEntries, value);
  }

  delete(keys: unknown, _options?: unknown): Promise<boolean | number> {
    return kvDelete(this.#parts.ctx, keys);
  }

  list(options?: DurableObjectListOptions): Promise<Map<string, unknown>> {
    return kvList(this.#parts.ctx, options);
  }

  getAlarm(_options?: unknown): Promise<number | null> {
    return getAlarm(this.#parts.ctx);
  }

  setAlarm(scheduledTime: unknown, _options?: unknown): Promise<void> {
    return setAlarm(this.#parts.ctx, scheduledTime);
  }

  deleteAlarm(_options?: unknown): Promise<void> {
    return deleteAlarm(this.#parts.ctx);
  }

  /** Removes every key and, on SQLite-backed classes, every user table and view — atomically. Keeps the alarm. */
  async deleteAll(_options?: unknown): Promise<void> {
    const { ctx } = this.#parts;
    ctx.check();
    if (ctx.batch.depth > 0) throw storageError("Error", MESSAGES.deleteAllInTransaction);
    ctx.batch.beginWrite();
    ctx.database.kvDeleteAll();
    if (ctx.backend === "sqlite") ctx.database.dropUserSchema();
  }

  transaction<T>(closure: (txn: DurableObjectTransactionLike) => Promise<T>, _options?: unknown): Promise<T> {
    return this.#parts.transactions.run(closure);
  }

  /** Runs `closure` in a savepoint: its writes are kept when it returns, rolled back when it throws. Nestable. */
  transactionSync<T>(closure: () => T): T {
    const { ctx } = this.#parts;
    ctx.check();
    if (this.#parts.sql === undefined) throw storageError("Error", MESSAGES.notSqlBacked);
    if (typeof closure !== "function") throw storageError("TypeError", "transactionSync() requires a callback function.");
    const level = ctx.batch.openSavepoint();
    let result: T;
    try {
      result = closure();
    } catch (e) {
      ctx.batch.discard(level);
      throw e;
    }
    ctx.batch.release(level);
    return result;
  }

  /** Resolves once every write issued so far is committed (at once inside a transaction, whose writes commit with it). */
  async sync(): Promise<void> {
    this.#parts.ctx.check();
    this.#parts.ctx.batch.commit();
  }

  get sql(): SqlStorage {
    const sql = this.#parts.sql;
    if (sql === undefined) throw storageError("Error", MESSAGES.sqlNotEnabled);
    return sql;
  }

  get kv(): SyncKvStorage {
    const kv = this.#parts.kv;
    if (kv === undefined) throw storageError("Error", MESSAGES.notSqlBacked);
    return kv;
  }

  getCurrentBookmark(): Promise<string> {
    return pitrUnsupported("getCurrentBookmark");
  }

  getBookmarkForTime(_timestamp: number | Date): Promise<string> {
    return pitrUnsupported("getBookmarkForTime");
  }

  onNextSessionRestoreBookmark(_bookmark: string): Promise<string> {
    return pitrUnsupported("onNextSessionRestoreBookmark");
  }
}
