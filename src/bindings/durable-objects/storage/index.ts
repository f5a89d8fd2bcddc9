/**
 * The storage of one Durable Object instance: `ctx.storage` for user code, plus the handles the
 * engine needs (flush for the output gate, the alarm time for its scheduler, close).
 *
 * Runs inside the isolate thread, next to user code; the Node modules it uses (better-sqlite3,
 * node:v8) stay behind the API objects' private fields. One SQLite file per object
 * (object-database.ts); writes are coalesced per event-loop turn (write-batch.ts).
 */
import { systemClock, type Clock } from "../../../shared/clock.js";
import { MESSAGES, storageError } from "./errors.js";
import { openObjectDatabase } from "./object-database.js";
import { SqlStorage } from "./sql-storage.js";
import { DurableObjectStorage } from "./storage-api.js";
import type { StorageContext } from "./storage-context.js";
import { SyncKvStorage } from "./sync-kv.js";
import { TransactionRunner } from "./transaction.js";
import type { DurableObjectStorageLike } from "./types.js";
import { WriteBatch } from "./write-batch.js";

export type {
  DurableObjectStorageLike,
  DurableObjectTransactionLike,
  SqlStorageCursorLike,
  SqlStorageLike,
  SqlStorageValue,
  SyncKvStorageLike,
} from "./types.js";
export { DO_STORAGE_LIMITS_DOCS_URL } from "./limits.js";

export interface ObjectStorageOptions {
  /** SQLite file of this object (its folder exists). */
  file: string;
  /** true for classes from `new_sqlite_classes` (SQL API + sync kv API available); false for `new_classes`. */
  sqlite: boolean;
  /** Time source for alarms set in the past. Default: the system clock. */
  clock?: Clock;
}

export interface ObjectStorage {
  /** The `ctx.storage` object user code sees (DurableObjectStorage of @cloudflare/workers-types). */
  readonly api: DurableObjectStorageLike;
  /** Commits pending coalesced writes now (the engine calls this before any response/RPC result leaves the object: the output gate). */
  flush(): void;
  /** The alarm time in epoch ms, or null — read by the engine's scheduler. */
  alarmTime(): number | null;
  /** Hook the engine installs: called after setAlarm/deleteAlarm (and commit) with the new time or null. */
  onAlarmChange?: (time: number | null) => void;
  /** Hook the engine installs: setAlarm on a class without alarm() must throw; the engine tells you. Default: true. */
  hasAlarmHandler: boolean;
  close(): void;
}

/** Opens (creating if needed) the storage of one object. */
export function openObjectStorage(options: ObjectStorageOptions): ObjectStorage {
  return new ObjectStorageImpl(options);
}

class ObjectStorageImpl implements ObjectStorage {
  readonly api: DurableObjectStorageLike;
  onAlarmChange?: (time: number | null) => void;
  hasAlarmHandler = true;
  readonly #database;
  readonly #batch: WriteBatch;
  /** The alarm as last committed. */
  #committedAlarm: number | null;
  /** An alarm write is pending: the next commit may change the committed alarm. */
  #alarmDirty = false;
  #closed = false;

  constructor(options: ObjectStorageOptions) {
    this.#database = openObjectDatabase(options.file);
    this.#committedAlarm = this.#database.alarm();
    this.#batch = new WriteBatch(this.#database.db, () => this.#afterCommit());
    const ctx: StorageContext = {
      database: this.#database,
      batch: this.#batch,
      backend: options.sqlite ? "sqlite" : "kv",
      clock: options.clock ?? systemClock,
      check: () => {
        if (this.#closed) throw storageError("Error", MESSAGES.closed);
        this.#batch.assertUsable();
      },
      hasAlarmHandler: () => this.hasAlarmHandler,
      alarmWritten: () => {
        this.#alarmDirty = true;
      },
    };
    this.api = new DurableObjectStorage({
      ctx,
      transactions: new TransactionRunner(ctx),
      sql: options.sqlite ? new SqlStorage(ctx) : undefined,
      kv: options.sqlite ? new SyncKvStorage(ctx) : undefined,
    }) as unknown as DurableObjectStorageLike;
  }

  flush(): void {
    if (this.#closed) return;
    this.#batch.commit();
  }

  alarmTime(): number | null {
    return this.#committedAlarm;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      if (!this.#batch.failed) this.#batch.commit();
    } finally {
      this.#batch.abandon(); // whatever could not commit (a transaction still open) is dropped
      this.#database.close();
    }
  }

  #afterCommit(): void {
    if (!this.#alarmDirty) return;
    this.#alarmDirty = false;
    const alarm = this.#database.alarm();
    if (alarm === this.#committedAlarm) return;
    this.#committedAlarm = alarm;
    this.onAlarmChange?.(alarm);
  }
}
