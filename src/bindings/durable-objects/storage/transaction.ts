/**
 * `ctx.storage.transaction(async txn => …)`.
 *
 * The callback runs inside a savepoint of the write batch, so everything it does on this object's
 * storage — through `txn`, `ctx.storage` or `ctx.storage.sql` — is one atomic unit: when the
 * callback throws, all of it is rolled back and the error rethrown; `txn.rollback()` discards it
 * while the callback's return value is still returned. Writes pending from before the transaction
 * are committed first, and the transaction's own writes are committed before its promise resolves.
 *
 * Transactions run one at a time (Cloudflare runs each under `blockConcurrencyWhile`): a second
 * `transaction()` waits for the first, except one started from inside a transaction's callback,
 * which nests as an inner savepoint.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { MESSAGES, storageError } from "./errors.js";
import { deleteAlarm, getAlarm, kvDelete, kvGet, kvList, kvPut, setAlarm } from "./kv-operations.js";
import type { StorageContext } from "./storage-context.js";
import type { DurableObjectListOptions, DurableObjectTransactionLike } from "./types.js";

/** The `txn` handed to a transaction callback. */
export class DurableObjectTransaction {
  readonly #ctx: StorageContext;
  readonly #level: number;
  #rolledBack = false;
  #ended = false;

  constructor(ctx: StorageContext, level: number) {
    this.#ctx = ctx;
    this.#level = level;
  }

  get(keys: unknown, _options?: unknown): Promise<unknown> {
    return this.#run("get", () => kvGet(this.#ctx, keys));
  }

  put(keyOrEntries: unknown, value?: unknown, _options?: unknown): Promise<void> {
    return this.#run("put", () => kvPut(this.#ctx, keyOrEntries, value));
  }

  delete(keys: unknown, _options?: unknown): Promise<boolean | number> {
    return this.#run("delete", () => kvDelete(this.#ctx, keys));
  }

  list(options?: DurableObjectListOptions): Promise<Map<string, unknown>> {
    return this.#run("list", () => kvList(this.#ctx, options));
  }

  getAlarm(_options?: unknown): Promise<number | null> {
    return this.#run("getAlarm", () => getAlarm(this.#ctx));
  }

  setAlarm(scheduledTime: unknown, _options?: unknown): Promise<void> {
    return this.#run("setAlarm", () => setAlarm(this.#ctx, scheduledTime));
  }

  deleteAlarm(_options?: unknown): Promise<void> {
    return this.#run("deleteAlarm", () => deleteAlarm(this.#ctx));
  }

  deleteAll(): never {
    throw storageError("Error", MESSAGES.deleteAllInTransaction);
  }

  /** Discards the transaction's writes; later calls on `txn` throw. May be called more than once. */
  rollback(): void {
    if (this.#rolledBack) return;
    this.#assertUsable("rollback");
    this.#ctx.batch.rollbackTo(this.#level);
    this.#rolledBack = true;
  }

  /** Whether `rollback()` was called. */
  get rolledBack(): boolean {
    return this.#rolledBack;
  }

  /** Marks the callback as finished: `txn` is unusable from now on. */
  end(): void {
    this.#ended = true;
  }

  #assertUsable(op: string): void {
    if (this.#rolledBack) throw storageError("Error", `Cannot ${op} on rolled back transaction`);
    if (this.#ended) {
      throw storageError(
        "Error",
        `Cannot call ${op} on transaction that has already committed: did you move \`txn\` outside of the closure?`,
      );
    }
  }

  async #run<T>(op: string, operation: () => Promise<T>): Promise<T> {
    this.#assertUsable(op);
    return operation();
  }
}

/** Runs transaction callbacks of one object, one at a time. */
export class TransactionRunner {
  readonly #ctx: StorageContext;
  /** Set while a transaction callback (and what it awaits) runs. */
  readonly #inside = new AsyncLocalStorage<true>();
  #queue: Promise<unknown> = Promise.resolve();

  constructor(ctx: StorageContext) {
    this.#ctx = ctx;
  }

  run<T>(closure: (txn: DurableObjectTransactionLike) => Promise<T> | T): Promise<T> {
    if (typeof closure !== "function") {
      return Promise.reject(storageError("TypeError", "transaction() requires a callback function."));
    }
    if (this.#inside.getStore()) return this.#runNow(closure);
    const result = this.#queue.then(() => this.#runNow(closure));
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #runNow<T>(closure: (txn: DurableObjectTransactionLike) => Promise<T> | T): Promise<T> {
    const { batch } = this.#ctx;
    this.#ctx.check();
    const outermost = batch.depth === 0;
    if (outermost) batch.commit(); // writes from before the transaction do not share its fate
    const level = batch.openSavepoint();
    const txn = new DurableObjectTransaction(this.#ctx, level);
    let value: T;
    try {
      value = await this.#inside.run(true, () => closure(txn as unknown as DurableObjectTransactionLike));
    } catch (e) {
      txn.end();
      batch.discard(level);
      throw e;
    }
    txn.end();
    if (txn.rolledBack) batch.discard(level);
    else batch.release(level);
    if (outermost) batch.commit();
    return value;
  }
}
