/**
 * Write coalescing: how writes become SQLite transactions.
 *
 * The first write of an event-loop turn opens a transaction (`BEGIN IMMEDIATE`); every later
 * write, KV or SQL, joins it; it commits at the end of the turn (`setImmediate`), or earlier when
 * `commit()` is called — the engine does so before any response leaves the object (the output
 * gate). So writes with no `await` on I/O between them commit together, atomically, with one WAL
 * fsync, and reads on the same connection see writes that are still pending.
 *
 * `transaction()` and `transactionSync()` run inside savepoints of that transaction. While one is
 * open nothing commits (a commit would publish half of it); the commit happens once the last
 * savepoint closes.
 *
 * If a COMMIT fails (disk full, I/O error, a deferred foreign key still violated) the batch is
 * rolled back and the storage is broken: every later call rethrows that failure, as Cloudflare
 * resets an object whose writes failed (the engine should discard the object when flush() throws).
 */
import type Database from "better-sqlite3";
import { clearImmediate, setImmediate } from "node:timers";
import { toStorageFailure } from "./sql-errors.js";

export class WriteBatch {
  readonly #db: Database.Database;
  readonly #afterCommit: () => void;
  #timer: ReturnType<typeof setImmediate> | undefined;
  /** Savepoints open inside the batch; savepoint `i` is named `_cf_savepoint_<i>`. */
  #depth = 0;
  #failure: unknown = undefined;
  #failed = false;

  /** `afterCommit` runs after each successful COMMIT. */
  constructor(db: Database.Database, afterCommit: () => void) {
    this.#db = db;
    this.#afterCommit = afterCommit;
  }

  /** Number of savepoints open (transaction callbacks running). */
  get depth(): number {
    return this.#depth;
  }

  /** Whether a commit failed (the storage is broken). */
  get failed(): boolean {
    return this.#failed;
  }

  /** Throws the failure of an earlier commit, if any. */
  assertUsable(): void {
    if (this.#failed) throw this.#failure;
  }

  /** Call before each write: opens the batch's transaction if needed and arranges its commit. */
  beginWrite(): void {
    this.assertUsable();
    if (!this.#db.inTransaction) {
      this.#depth = 0; // SQLite ended the transaction itself (e.g. INSERT OR ROLLBACK): no savepoint survives that
      this.#db.exec("BEGIN IMMEDIATE");
    }
    this.#schedule();
  }

  /**
   * Commits pending writes now. Does nothing when nothing is pending, or while a savepoint is open
   * (the commit then follows when the last one closes).
   */
  commit(): void {
    this.#cancelTimer();
    this.assertUsable();
    if (this.#depth > 0 || !this.#db.inTransaction) return;
    try {
      this.#db.exec("COMMIT");
    } catch (e) {
      this.#fail(toStorageFailure(e));
      throw this.#failure;
    }
    this.#afterCommit();
  }

  /** Opens a savepoint (inside the batch's transaction); returns its level for `release` / `rollbackTo`. */
  openSavepoint(): number {
    this.beginWrite();
    const level = this.#depth;
    this.#db.exec(`SAVEPOINT _cf_savepoint_${level}`);
    this.#depth = level + 1;
    return level;
  }

  /** Closes savepoint `level` (and any inside it), keeping its writes in the batch. */
  release(level: number): void {
    if (this.#db.inTransaction && level < this.#depth) this.#db.exec(`RELEASE _cf_savepoint_${level}`);
    this.#depth = Math.min(this.#depth, level);
    this.#schedule();
  }

  /** Undoes the writes made since savepoint `level` opened; it stays open. */
  rollbackTo(level: number): void {
    if (this.#db.inTransaction && level < this.#depth) this.#db.exec(`ROLLBACK TO _cf_savepoint_${level}`);
  }

  /** Undoes savepoint `level` and closes it. */
  discard(level: number): void {
    this.rollbackTo(level);
    this.release(level);
  }

  /** Rolls back whatever is pending (used when closing after a failure). */
  abandon(): void {
    this.#cancelTimer();
    this.#depth = 0;
    if (this.#db.inTransaction) this.#db.exec("ROLLBACK");
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#depth > 0 || !this.#db.inTransaction) return;
    this.#timer = setImmediate(() => {
      this.#timer = undefined;
      if (this.#failed || !this.#db.open) return;
      try {
        this.commit();
      } catch (e) {
        if (!this.#failed) throw e; // not a storage failure (a hook threw): let it surface
        // A failed commit is kept and rethrown by the next storage call.
      }
    });
  }

  #cancelTimer(): void {
    if (this.#timer === undefined) return;
    clearImmediate(this.#timer);
    this.#timer = undefined;
  }

  #fail(e: unknown): void {
    this.#failed = true;
    this.#failure = e;
    this.#depth = 0;
    try {
      if (this.#db.inTransaction) this.#db.exec("ROLLBACK");
    } catch {
      // The connection is unusable anyway; the original failure is what callers see.
    }
  }
}
