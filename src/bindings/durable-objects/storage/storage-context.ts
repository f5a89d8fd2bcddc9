/**
 * What every part of one object's storage shares: its database, its write batch, which backend's
 * rules apply, the clock, and the hooks that tie alarms to the engine. Built once by index.ts.
 */
import type { Clock } from "../../../shared/clock.js";
import type { StorageBackend } from "./kv-arguments.js";
import type { ObjectDatabase } from "./object-database.js";
import type { WriteBatch } from "./write-batch.js";

export interface StorageContext {
  readonly database: ObjectDatabase;
  readonly batch: WriteBatch;
  readonly backend: StorageBackend;
  readonly clock: Clock;
  /** Throws when the storage is closed or an earlier commit failed. */
  check(): void;
  /** Whether the object's class has an `alarm()` handler (setAlarm refuses otherwise). */
  hasAlarmHandler(): boolean;
  /** Called after each alarm write, so the engine hears of the new time once it commits. */
  alarmWritten(): void;
}
