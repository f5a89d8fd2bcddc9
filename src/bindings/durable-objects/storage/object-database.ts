/**
 * The SQLite database of one Durable Object: opening it, Hearth's own tables, and the statements
 * the KV and alarm APIs run on them.
 *
 *     _cf_KV(key BLOB PRIMARY KEY, value BLOB)  the KV API's data: keys are UTF-8 bytes, so the
 *                                               table's order is Cloudflare's list order; values
 *                                               are V8 serialisations (values.ts)
 *     _cf_METADATA(key TEXT PRIMARY KEY, value) 'alarm' → epoch milliseconds; no row = no alarm
 *
 * On a class from `new_sqlite_classes` the user's own tables live in the same file; names starting
 * `_cf_` are reserved for Hearth (sql-policy.ts keeps user SQL away from them). To read the KV data
 * with `sqlite3`: `SELECT CAST(key AS TEXT), length(value) FROM _cf_KV ORDER BY key;`
 *
 * Settings as every Hearth database (docs/storage.md): WAL, `synchronous = FULL` (a commit fsyncs
 * the WAL, so a committed write survives a crash or power loss), `busy_timeout`. The schema version
 * is kept in `PRAGMA user_version`; a newer one than this Hearth knows is refused, never rewritten.
 */
import type Database from "better-sqlite3";
import { Buffer } from "node:buffer";
import fs from "node:fs";
import { loadSqlite, SQLITE_BUSY_TIMEOUT_MS } from "../../../shared/sqlite.js";

/** Version of the schema below, kept in `PRAGMA user_version`. */
const SCHEMA_VERSION = 1;
/** The names of Hearth's tables, for checks that must not touch them. */
export const HEARTH_TABLES = ["_cf_KV", "_cf_METADATA"] as const;
const ALARM_KEY = "alarm";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS _cf_KV (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS _cf_METADATA (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
`;

/** A key range of the KV table: `start` inclusive, `end` exclusive (null: no end). */
export interface KvRange {
  start: Buffer;
  end: Buffer | null;
  reverse: boolean;
  /** Most rows to return; null for all. */
  limit: number | null;
}

export interface KvRow {
  key: Buffer;
  value: Buffer;
}

/** Opens (creating if needed) the database file of one object. */
export function openObjectDatabase(file: string): ObjectDatabase {
  const Sqlite = loadSqlite();
  const created = !fs.existsSync(file);
  const db = new Sqlite(file);
  try {
    db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    // Setting up a brand-new file holds no acknowledged write, so it skips the fsyncs (a first
    // touch of an object was ~14 ms of them); every later commit is fully synced.
    if (created) db.pragma("synchronous = OFF");
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    migrate(db);
    db.pragma("synchronous = FULL");
    return new ObjectDatabase(db);
  } catch (e) {
    db.close();
    throw e;
  }
}

export class ObjectDatabase {
  readonly #stmts: ReturnType<typeof prepareStatements>;

  constructor(readonly db: Database.Database) {
    this.#stmts = prepareStatements(db);
  }

  kvGet(key: Buffer): Buffer | undefined {
    return this.#stmts.kvGet.get(key) as Buffer | undefined;
  }

  kvPut(key: Buffer, value: Buffer): void {
    this.#stmts.kvPut.run(key, value);
  }

  /** Deletes a key; true when it existed. */
  kvDelete(key: Buffer): boolean {
    return this.#stmts.kvDelete.run(key).changes > 0;
  }

  kvList(range: KvRange): KvRow[] {
    const limit = range.limit ?? -1;
    const stmt =
      range.end === null
        ? range.reverse ? this.#stmts.kvListFromDesc : this.#stmts.kvListFrom
        : range.reverse ? this.#stmts.kvListRangeDesc : this.#stmts.kvListRange;
    const rows = (range.end === null ? stmt.all(range.start, limit) : stmt.all(range.start, range.end, limit)) as KvRow[];
    return rows;
  }

  kvDeleteAll(): number {
    return this.#stmts.kvDeleteAll.run().changes;
  }

  /** The stored alarm time in epoch ms, or null. */
  alarm(): number | null {
    const value = this.#stmts.metaGet.get(ALARM_KEY) as number | bigint | undefined;
    return value === undefined ? null : Number(value);
  }

  setAlarm(time: number | null): void {
    if (time === null) this.#stmts.metaDelete.run(ALARM_KEY);
    else this.#stmts.metaPut.run(ALARM_KEY, time);
  }

  /** Size of the live pages of the file, in bytes (free pages not counted), as `sql.databaseSize` reports. */
  sizeBytes(): number {
    const { pages, pageSize } = this.#stmts.size.get() as { pages: number; pageSize: number };
    return pages * pageSize;
  }

  /** Rows inserted, updated or deleted on this connection so far (triggers included). */
  totalChanges(): number {
    return this.#stmts.totalChanges.get() as number;
  }

  /** Drops every user table and view (not Hearth's) and resets AUTOINCREMENT counters. Call inside a write transaction. */
  dropUserSchema(): void {
    const objects = this.#stmts.userObjects.all() as { type: "table" | "view"; name: string }[];
    if (objects.length === 0) return;
    // Tables may reference each other; checking foreign keys at commit (when all are gone) lets any order work.
    this.db.pragma("defer_foreign_keys = ON");
    for (const { type, name } of objects) this.db.exec(`DROP ${type.toUpperCase()} IF EXISTS "${name.replaceAll('"', '""')}"`);
    if (this.#stmts.hasSequence.get() !== undefined) this.db.exec("DELETE FROM sqlite_sequence");
  }

  close(): void {
    this.db.close();
  }
}

function migrate(db: Database.Database): void {
  db.transaction(() => {
    const version = db.pragma("user_version", { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(
        `${db.name} was written by a newer Hearth (Durable Object schema version ${version}, this one knows ${SCHEMA_VERSION})`,
      );
    }
    db.exec(SCHEMA);
    if (version < SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

function prepareStatements(db: Database.Database) {
  const list = (where: string, order: "ASC" | "DESC") =>
    db.prepare(`SELECT key, value FROM _cf_KV WHERE ${where} ORDER BY key ${order} LIMIT ?`);
  return {
    kvGet: db.prepare("SELECT value FROM _cf_KV WHERE key = ?").pluck(),
    kvPut: db.prepare("INSERT INTO _cf_KV (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
    kvDelete: db.prepare("DELETE FROM _cf_KV WHERE key = ?"),
    kvDeleteAll: db.prepare("DELETE FROM _cf_KV"),
    kvListFrom: list("key >= ?", "ASC"),
    kvListFromDesc: list("key >= ?", "DESC"),
    kvListRange: list("key >= ? AND key < ?", "ASC"),
    kvListRangeDesc: list("key >= ? AND key < ?", "DESC"),
    metaGet: db.prepare("SELECT value FROM _cf_METADATA WHERE key = ?").pluck(),
    metaPut: db.prepare("INSERT INTO _cf_METADATA (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
    metaDelete: db.prepare("DELETE FROM _cf_METADATA WHERE key = ?"),
    size: db.prepare(
      "SELECT (SELECT page_count FROM pragma_page_count) - (SELECT freelist_count FROM pragma_freelist_count) AS pages, " +
        "(SELECT page_size FROM pragma_page_size) AS pageSize",
    ),
    totalChanges: db.prepare("SELECT total_changes()").pluck(),
    userObjects: db.prepare(
      "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' " +
        "AND substr(name, 1, 4) <> '_cf_' ORDER BY type = 'table', name",
    ),
    hasSequence: db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'"),
  };
}
