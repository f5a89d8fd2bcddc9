/**
 * The embedded KV driver: one SQLite database per namespace plus a folder of blob files.
 *
 *     <dir>/db.sqlite            the `kv_entries` table (schema below), WAL mode
 *     <dir>/blobs/<32 hex>       values larger than INLINE_VALUE_MAX_BYTES, one file each
 *     <dir>/blobs/.tmp-<pid>-…   a value being written (never referenced by a row)
 *
 * Crash safety (docs/storage.md explains the pattern all bindings follow):
 * - small values are written inside the SQLite transaction that writes their row;
 * - a large value is written to a temp file, fsynced, then — inside a `BEGIN IMMEDIATE`
 *   transaction, so under SQLite's write lock — renamed to its final name, the folder fsynced and
 *   the row written; the replaced blob is unlinked only after the commit;
 * - on open, blob files no row references are removed (under the write lock, so a writer in
 *   another process can never be between its rename and its commit), and temp files whose writer
 *   process is gone (or that are over an hour old) are removed;
 * - `synchronous = FULL` in WAL mode: a commit fsyncs the WAL, so an acknowledged write survives a
 *   power loss, not only a process crash.
 *
 * Several handles (threads, a dev server and a `hearth kv` CLI process) may open the same
 * namespace at once: WAL gives readers a snapshot while one writer commits, and `busy_timeout`
 * makes a writer wait for the lock instead of failing.
 */
import type Database from "better-sqlite3";
import { Buffer } from "node:buffer";
import fs from "node:fs";
import path from "node:path";
import { BlobFiles, removeQuietly, removeQuietlySync, writeFileDurably } from "../../../shared/blob-files.js";
import { prefixUpperBound } from "../../../shared/bytes.js";
import { systemClock, type Clock } from "../../../shared/clock.js";
import { openSqlite } from "../../../shared/sqlite.js";
import type { KvEntry, KvKeyInfo, KvListPage, KvListQuery, KvPutEntry, KvStore } from "../store.js";

/** The database file inside a namespace folder. */
export const KV_DB_FILE = "db.sqlite";
/** The folder, inside a namespace folder, holding values stored as files. */
export const KV_BLOBS_DIR = "blobs";
/** Values up to this size, in bytes, live in the row; larger ones become blob files. */
export const INLINE_VALUE_MAX_BYTES = 64 * 1024;
/** Expired rows are purged in bulk at most this often, in milliseconds (they are hidden from reads at once). */
const PURGE_INTERVAL_MS = 60 * 1000;
/** Version of the schema below, kept in `PRAGMA user_version`. */
const SCHEMA_VERSION = 1;
/** A key can never start with byte 0xFF (it is not valid UTF-8), so this sorts after every key. */
const AFTER_ALL_KEYS = Buffer.from([0xff]);

const SCHEMA = `
CREATE TABLE IF NOT EXISTS kv_entries (
  key        BLOB    NOT NULL PRIMARY KEY, -- the key's UTF-8 bytes; BLOBs compare with memcmp = KV list order
  value      BLOB,                         -- the value, when it is at most 64 KiB; else NULL
  blob_id    TEXT,                         -- name of the file in blobs/ holding a larger value; else NULL
  size       INTEGER NOT NULL,             -- length of the value, bytes
  expiration INTEGER,                      -- seconds since the UNIX epoch; NULL = never expires
  metadata   TEXT,                         -- JSON text of the metadata; NULL = none
  CHECK ((value IS NULL) <> (blob_id IS NULL))
);
CREATE INDEX IF NOT EXISTS kv_entries_expiration ON kv_entries (expiration) WHERE expiration IS NOT NULL;
`;

interface Row {
  value: Buffer | null;
  blob_id: string | null;
  expiration: number | null;
  metadata: string | null;
}

interface UpsertRow {
  key: Buffer;
  value: Buffer | null;
  blobId: string | null;
  size: number;
  expiration: number | null;
  metadata: string | null;
}

interface ListRow {
  key: Buffer;
  expiration: number | null;
  metadata: string | null;
}

export interface SqliteKvStoreOptions {
  /** Decides which entries have expired. Default: the system clock. */
  clock?: Clock;
}

/** Opens (creating if needed) the namespace stored in `dir`. */
export function openSqliteKvStore(dir: string, options: SqliteKvStoreOptions = {}): KvStore {
  return new SqliteKvStore(dir, options.clock ?? systemClock);
}

class SqliteKvStore implements KvStore {
  readonly #db: Database.Database;
  readonly #blobs: BlobFiles;
  readonly #clock: Clock;
  readonly #stmts: ReturnType<typeof prepareStatements>;
  /** Reads several rows from one snapshot. */
  readonly #readRows: (keys: Buffer[]) => (Row | undefined)[];
  /**
   * Writes a row (run with `.immediate`, i.e. under SQLite's write lock) and returns the blob id it
   * replaced, or null. For a blob value the temp file is renamed into place inside the transaction;
   * if anything fails the row is rolled back and the caller removes the files.
   */
  readonly #upsert: Database.Transaction<(row: UpsertRow, temp?: string, final?: string) => string | null>;
  /** Writes run one at a time, in call order, so the last call wins. */
  #writeChain: Promise<unknown> = Promise.resolve();
  #lastPurgeMs = -Infinity;
  #closed = false;

  constructor(dir: string, clock: Clock) {
    this.#clock = clock;
    this.#blobs = new BlobFiles(path.join(dir, KV_BLOBS_DIR), "KV");
    this.#db = openSqlite(path.join(dir, KV_DB_FILE));
    try {
      migrate(this.#db);
      const stmts = (this.#stmts = prepareStatements(this.#db));
      this.#readRows = this.#db.transaction((keys: Buffer[]) => keys.map((k) => stmts.get.get(k) as Row | undefined));
      this.#upsert = this.#db.transaction((row: UpsertRow, temp?: string, final?: string) => {
        if (temp !== undefined && final !== undefined) {
          this.#blobs.renameIntoPlaceSync(temp, final);
        }
        const old = stmts.selectBlobId.get(row.key) as { blob_id: string | null } | undefined;
        stmts.upsert.run(row.key, row.value, row.blobId, row.size, row.expiration, row.metadata);
        return old?.blob_id ?? null;
      });
      this.#removeOrphans();
      this.#purgeExpiredIfDue();
    } catch (e) {
      this.#db.close();
      throw e;
    }
  }

  async get(key: string): Promise<KvEntry | null> {
    this.#assertOpen();
    return this.#readEntry(key, encodeKey(key), undefined);
  }

  async getMany(keys: readonly string[]): Promise<(KvEntry | null)[]> {
    this.#assertOpen();
    const encoded = keys.map(encodeKey);
    // One read transaction: every row comes from the same snapshot.
    const rows = this.#readRows(encoded);
    const out: (KvEntry | null)[] = [];
    for (let i = 0; i < keys.length; i++) out.push(await this.#readEntry(keys[i]!, encoded[i]!, rows[i] ?? null));
    return out;
  }

  async put(entry: KvPutEntry): Promise<void> {
    this.#assertOpen();
    return this.#serialised(async () => {
      const key = encodeKey(entry.key);
      const expiration = entry.expiration ?? null;
      const metadata = entry.metadata ?? null;
      const size = entry.value.byteLength;
      let replaced: string | null;
      if (size <= INLINE_VALUE_MAX_BYTES) {
        const value = Buffer.from(entry.value.buffer, entry.value.byteOffset, size);
        replaced = this.#upsert.immediate({ key, value, blobId: null, size, expiration, metadata });
      } else {
        const blobId = this.#blobs.newBlobId();
        const temp = this.#blobs.tempPath(blobId);
        const final = this.#blobs.blobPath(blobId);
        try {
          await writeFileDurably(temp, entry.value);
          replaced = this.#upsert.immediate({ key, value: null, blobId, size, expiration, metadata }, temp, final);
        } catch (e) {
          await removeQuietly(temp);
          await removeQuietly(final);
          throw e;
        }
      }
      if (replaced !== null) await removeQuietly(this.#blobs.blobPath(replaced));
    });
  }

  async delete(key: string): Promise<boolean> {
    this.#assertOpen();
    return this.#serialised(async () => {
      const row = this.#stmts.delete.get(encodeKey(key)) as { blob_id: string | null; expiration: number | null } | undefined;
      if (row === undefined) return false;
      if (row.blob_id !== null) await removeQuietly(this.#blobs.blobPath(row.blob_id));
      return !this.#isExpired(row.expiration);
    });
  }

  async list(query: KvListQuery): Promise<KvListPage> {
    this.#assertOpen();
    this.#purgeExpiredIfDue();
    const prefix = Buffer.from(query.prefix ?? "", "utf8");
    const upper = prefix.length === 0 ? AFTER_ALL_KEYS : (prefixUpperBound(prefix) ?? AFTER_ALL_KEYS);
    const after = query.cursor ? Buffer.from(query.cursor, "base64url") : null;
    const limit = Math.max(1, Math.floor(query.limit));
    const now = this.#nowSeconds();
    // Resume strictly after the cursor's key when that is inside the prefix range, else start at the prefix.
    const rows = (after !== null && Buffer.compare(after, prefix) >= 0
      ? this.#stmts.listAfter.all(after, upper, now, limit + 1)
      : this.#stmts.listFrom.all(prefix, upper, now, limit + 1)) as ListRow[];
    const more = rows.length > limit;
    if (more) rows.length = limit;
    const keys = rows.map((row): KvKeyInfo => {
      const info: KvKeyInfo = { name: row.key.toString("utf8") };
      if (row.expiration !== null) info.expiration = row.expiration;
      if (row.metadata !== null) info.metadata = row.metadata;
      return info;
    });
    return more ? { keys, cursor: rows[rows.length - 1]!.key.toString("base64url") } : { keys };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#writeChain;
    this.#db.close();
  }

  /** Reads one entry; `row` is a row already read (or null for "absent"), undefined to read it here. */
  async #readEntry(key: string, encoded: Buffer, row: Row | null | undefined): Promise<KvEntry | null> {
    // A concurrent put may replace the value and unlink its blob between reading the row and the
    // file; then the row is read again.
    for (let attempt = 0; ; attempt++) {
      if (row === undefined) row = (this.#stmts.get.get(encoded) as Row | undefined) ?? null;
      if (row === null) return null;
      if (this.#isExpired(row.expiration)) {
        await this.#purgeExpiredKey(encoded);
        return null;
      }
      let value: Uint8Array | null;
      if (row.blob_id === null) value = plainBytes(row.value!);
      else {
        value = await readFileIfExists(this.#blobs.blobPath(row.blob_id));
        if (value === null) {
          if (attempt < 3) {
            row = undefined;
            continue;
          }
          throw new Error(`KV blob file ${this.#blobs.blobPath(row.blob_id)} is missing for key ${JSON.stringify(key)}`);
        }
      }
      const entry: KvEntry = { key, value };
      if (row.expiration !== null) entry.expiration = row.expiration;
      if (row.metadata !== null) entry.metadata = row.metadata;
      return entry;
    }
  }

  async #purgeExpiredKey(encoded: Buffer): Promise<void> {
    // Re-checks the expiration inside the DELETE so a value written meanwhile is left alone.
    const row = this.#stmts.deleteExpiredKey.get(encoded, this.#nowSeconds()) as { blob_id: string | null } | undefined;
    if (row?.blob_id) await removeQuietly(this.#blobs.blobPath(row.blob_id));
  }

  #purgeExpiredIfDue(): void {
    const nowMs = this.#clock.now();
    if (nowMs - this.#lastPurgeMs < PURGE_INTERVAL_MS) return;
    this.#lastPurgeMs = nowMs;
    const now = Math.floor(nowMs / 1000);
    if (this.#stmts.anyExpired.get(now) === undefined) return;
    const rows = this.#stmts.deleteExpired.all(now) as { blob_id: string | null }[];
    for (const row of rows) if (row.blob_id !== null) removeQuietlySync(this.#blobs.blobPath(row.blob_id));
  }

  /** Removes blob files no row references and temp files whose writer is gone. */
  #removeOrphans(): void {
    this.#blobs.removeStaleTempFiles();
    // Under the write lock: no writer can be between renaming its blob and committing its row.
    this.#db
      .transaction(() => {
        const referenced = new Set((this.#stmts.allBlobIds.all() as { blob_id: string }[]).map((r) => r.blob_id));
        this.#blobs.removeUnreferencedSync(referenced);
      })
      .immediate();
  }

  #serialised<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#writeChain.then(fn);
    this.#writeChain = result.catch(() => undefined);
    return result;
  }

  #nowSeconds(): number {
    return Math.floor(this.#clock.now() / 1000);
  }

  #isExpired(expiration: number | null): boolean {
    return expiration !== null && expiration <= this.#nowSeconds();
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error("This KV store has been closed");
  }
}

function migrate(db: Database.Database): void {
  db.transaction(() => {
    const version = db.pragma("user_version", { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(
        `${db.name} was written by a newer Hearth (KV schema version ${version}, this one knows ${SCHEMA_VERSION})`,
      );
    }
    db.exec(SCHEMA);
    if (version < SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

function prepareStatements(db: Database.Database) {
  const listColumns = "SELECT key, expiration, metadata FROM kv_entries";
  const live = "(expiration IS NULL OR expiration > ?)";
  return {
    get: db.prepare("SELECT value, blob_id, expiration, metadata FROM kv_entries WHERE key = ?"),
    selectBlobId: db.prepare("SELECT blob_id FROM kv_entries WHERE key = ?"),
    upsert: db.prepare(
      `INSERT INTO kv_entries (key, value, blob_id, size, expiration, metadata) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, blob_id = excluded.blob_id, size = excluded.size,
         expiration = excluded.expiration, metadata = excluded.metadata`,
    ),
    delete: db.prepare("DELETE FROM kv_entries WHERE key = ? RETURNING blob_id, expiration"),
    deleteExpiredKey: db.prepare(
      "DELETE FROM kv_entries WHERE key = ? AND expiration IS NOT NULL AND expiration <= ? RETURNING blob_id",
    ),
    anyExpired: db.prepare("SELECT 1 FROM kv_entries WHERE expiration <= ? LIMIT 1"),
    deleteExpired: db.prepare("DELETE FROM kv_entries WHERE expiration <= ? RETURNING blob_id"),
    listFrom: db.prepare(`${listColumns} WHERE key >= ? AND key < ? AND ${live} ORDER BY key LIMIT ?`),
    listAfter: db.prepare(`${listColumns} WHERE key > ? AND key < ? AND ${live} ORDER BY key LIMIT ?`),
    allBlobIds: db.prepare("SELECT blob_id FROM kv_entries WHERE blob_id IS NOT NULL"),
  };
}

function encodeKey(key: string): Buffer {
  return Buffer.from(key, "utf8");
}

/** A plain Uint8Array (not a Node Buffer) spanning exactly its own ArrayBuffer. */
function plainBytes(buf: Uint8Array): Uint8Array {
  if (buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength && !(buf.buffer instanceof SharedArrayBuffer)) {
    return new Uint8Array(buf.buffer, 0, buf.byteLength);
  }
  const copy = new Uint8Array(buf.byteLength);
  copy.set(buf);
  return copy;
}

async function readFileIfExists(file: string): Promise<Uint8Array | null> {
  try {
    return plainBytes(await fs.promises.readFile(file));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
}
