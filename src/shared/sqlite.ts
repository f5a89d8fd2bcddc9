/**
 * Opening an embedded SQLite database the way every Hearth store does: better-sqlite3 loaded on
 * first use (processes that never open a database skip its cost), a busy timeout so a CLI process
 * and a dev server can share the file (set first, so switching the journal mode waits for a lock
 * too), WAL journal, and full fsync on commit so an acknowledged write survives a crash.
 */
import type Database from "better-sqlite3";
import { createRequire } from "node:module";

export type SqliteDatabase = Database.Database;

/** How long a connection waits for another connection's lock, in milliseconds. */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

let sqlite: typeof Database | undefined;

/** better-sqlite3's constructor, required on first call. For a store that needs its own open sequence. */
export function loadSqlite(): typeof Database {
  return (sqlite ??= createRequire(import.meta.url)("better-sqlite3") as typeof Database);
}

/** Opens (creating if needed) `file` with Hearth's pragmas; the connection is closed if one fails. */
export function openSqlite(file: string): SqliteDatabase {
  const Sqlite = loadSqlite();
  const db = new Sqlite(file);
  try {
    db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}
