/**
 * Opening an embedded SQLite database the way every Hearth store does: better-sqlite3 loaded on
 * first use (processes that never open a database skip its cost), WAL journal, full fsync on
 * commit so an acknowledged write survives a crash, and a busy timeout so a CLI process and a
 * dev server can share the file.
 */
import type Database from "better-sqlite3";
import { createRequire } from "node:module";

export type SqliteDatabase = Database.Database;

const BUSY_TIMEOUT_MS = 10_000;

let sqlite: typeof Database | undefined;

export function openSqlite(file: string): SqliteDatabase {
  sqlite ??= createRequire(import.meta.url)("better-sqlite3") as typeof Database;
  const db = new sqlite(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return db;
}
