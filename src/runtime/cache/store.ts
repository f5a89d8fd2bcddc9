/**
 * The embedded store of one cache (`caches.default` or `caches.open(name)`): a SQLite database of
 * entries keyed by URL, and a folder of blob files for bodies over 64 KiB (docs/storage.md,
 * section 8 "Cache"):
 *
 *     <dir>/db.sqlite            the `cache_entries` table (schema below), WAL mode
 *     <dir>/blobs/<32 hex>       one body, named by a random id
 *     <dir>/blobs/.tmp-<pid>-…   a body being written (never referenced by a row)
 *
 * Crash safety is the one of every Hearth store: a body is written to a temp file and fsynced;
 * under SQLite's write lock the file is renamed into place, the folder fsynced and the row written;
 * the replaced body is unlinked after the commit; on open, stale temp files and unreferenced blobs
 * are swept. Expired entries are never returned; they are deleted when a read meets one, and in
 * bulk at most once a minute on writes.
 */
import fs from "node:fs";
import path from "node:path";
import { BlobFolder, type WrittenBody } from "../../bindings/r2/drivers/blob-files.js";
import { createBodyReader, slicesFor, type BodySegment } from "../../bindings/r2/drivers/body-reader.js";
import type { R2BodyReader } from "../../bindings/r2/store.js";
import type { Clock } from "../../shared/clock.js";
import { openSqlite, type SqliteDatabase } from "../../shared/sqlite.js";

/** The database file inside a cache folder. */
export const CACHE_DB_FILE = "db.sqlite";
/** The folder, inside a cache folder, holding bodies stored as files. */
export const CACHE_BLOBS_DIR = "blobs";
/** Bodies up to this size, in bytes, live in the row; larger ones become blob files. */
export const CACHE_INLINE_BODY_MAX_BYTES = 64 * 1024;
/** Expired rows are purged in bulk at most this often, in milliseconds. */
const PURGE_INTERVAL_MS = 60 * 1000;
/** How often a read retries when a concurrent write replaced the body it was about to open. */
const READ_RETRIES = 5;
/** Version of the schema below, kept in `PRAGMA user_version`. */
const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS cache_entries (
  url         TEXT    NOT NULL PRIMARY KEY, -- the request URL (the cache key)
  status      INTEGER NOT NULL,
  status_text TEXT    NOT NULL,
  headers     TEXT    NOT NULL,             -- JSON array of [name, value] pairs, in order
  vary        TEXT    NOT NULL,             -- JSON array of [request header, value or null] named by Vary
  expires_ms  INTEGER NOT NULL,             -- milliseconds since the UNIX epoch
  size        INTEGER NOT NULL,             -- body length, bytes
  value       BLOB,                         -- the body, when at most 64 KiB
  blob_id     TEXT,                         -- else the file in blobs/ holding it
  CHECK ((value IS NULL) <> (blob_id IS NULL))
);
CREATE INDEX IF NOT EXISTS cache_entries_expires ON cache_entries (expires_ms);
`;

/** What is stored about a response besides its body. */
export interface CacheEntryHead {
  status: number;
  statusText: string;
  headers: [string, string][];
  /** The request headers the response's Vary names, with the values they had at put time. */
  vary: [string, string | null][];
  expiresAtMs: number;
}

export interface CacheHit {
  head: CacheEntryHead;
  size: number;
  /**
   * Reads `length` bytes from `offset`; the body is pinned, so a concurrent put cannot change it.
   * Call `read` or `discard` exactly once: both release the pinned file.
   */
  read(offset: number, length: number): R2BodyReader;
  discard(): Promise<void>;
}

interface Row {
  status: number;
  status_text: string;
  headers: string;
  vary: string;
  expires_ms: number;
  size: number;
  value: Buffer | null;
  blob_id: string | null;
}

export class CacheStore {
  readonly #db: SqliteDatabase;
  readonly #blobs: BlobFolder;
  readonly #clock: Clock;
  readonly #stmts: ReturnType<typeof prepare>;
  #lastPurgeMs = -Infinity;

  constructor(dir: string, clock: Clock) {
    this.#clock = clock;
    fs.mkdirSync(dir, { recursive: true });
    this.#blobs = new BlobFolder(path.join(dir, CACHE_BLOBS_DIR));
    this.#db = openSqlite(path.join(dir, CACHE_DB_FILE));
    try {
      migrate(this.#db);
      this.#stmts = prepare(this.#db);
      this.#blobs.removeStaleTempFiles();
      this.#db.transaction(() => {
        const referenced = new Set((this.#stmts.blobIds.all() as { blob_id: string }[]).map((r) => r.blob_id));
        this.#blobs.removeUnreferencedSync(referenced);
      }).immediate();
    } catch (error) {
      this.#db.close();
      throw error;
    }
  }

  /** Stores `body` under `url`, replacing what was there; resolves after the commit. */
  async put(url: string, head: CacheEntryHead, body: AsyncIterable<Uint8Array>): Promise<void> {
    const written = await this.#blobs.write(body, [], CACHE_INLINE_BODY_MAX_BYTES);
    let replaced: string | null;
    try {
      replaced = this.#db.transaction(() => {
        if (written.kind === "file") this.#blobs.commitSync(written);
        const old = this.#stmts.blobId.get(url) as { blob_id: string | null } | undefined;
        this.#stmts.upsert.run(url, head.status, head.statusText, JSON.stringify(head.headers), JSON.stringify(head.vary), Math.round(head.expiresAtMs), written.size, inlineValue(written), written.kind === "file" ? written.blobId : null);
        return old?.blob_id ?? null;
      }).immediate();
    } catch (error) {
      await this.#blobs.discard(written);
      throw error;
    }
    if (replaced !== null) await this.#blobs.unlink([replaced]);
    await this.#purgeIfDue();
  }

  /** The unexpired entry under `url`, with its body pinned; undefined when there is none. */
  async get(url: string): Promise<CacheHit | undefined> {
    for (let attempt = 0; attempt < READ_RETRIES; attempt++) {
      const row = this.#stmts.get.get(url) as Row | undefined;
      if (row === undefined) return undefined;
      if (row.expires_ms <= this.#clock.now()) {
        await this.#deleteRow(url, row.expires_ms);
        return undefined;
      }
      const head: CacheEntryHead = {
        status: row.status,
        statusText: row.status_text,
        headers: JSON.parse(row.headers) as [string, string][],
        vary: JSON.parse(row.vary) as [string, string | null][],
        expiresAtMs: row.expires_ms,
      };
      if (row.blob_id === null) {
        const segments: BodySegment[] = [{ kind: "bytes", bytes: new Uint8Array(row.value!) }];
        return {
          head,
          size: row.size,
          read: (offset, length) => createBodyReader(slicesFor(segments, { offset, length }), undefined, (id) => this.#blobs.open(id)),
          discard: async () => undefined,
        };
      }
      const blobId = row.blob_id;
      const handle = await this.#blobs.open(blobId);
      if (handle === null) continue; // replaced meanwhile: read the row again
      const segments: BodySegment[] = [{ kind: "file", blobId, size: row.size }];
      return {
        head,
        size: row.size,
        read: (offset, length) => createBodyReader(slicesFor(segments, { offset, length }), handle, (id) => this.#blobs.open(id)),
        discard: () => handle.close().catch(() => undefined),
      };
    }
    return undefined;
  }

  /** Deletes the entry under `url`; true when an unexpired one was there. */
  async delete(url: string): Promise<boolean> {
    const removed = this.#db.transaction(() => {
      const row = this.#stmts.get.get(url) as Row | undefined;
      if (row === undefined) return undefined;
      this.#stmts.delete.run(url);
      return row;
    }).immediate();
    if (removed === undefined) return false;
    if (removed.blob_id !== null) await this.#blobs.unlink([removed.blob_id]);
    return removed.expires_ms > this.#clock.now();
  }

  close(): void {
    this.#db.close();
  }

  /** Deletes an expired row, unless a put replaced it meanwhile. */
  async #deleteRow(url: string, expiresMs: number): Promise<void> {
    const blobId = this.#db.transaction(() => {
      const row = this.#stmts.get.get(url) as Row | undefined;
      if (row === undefined || row.expires_ms !== expiresMs) return undefined;
      this.#stmts.delete.run(url);
      return row.blob_id;
    }).immediate();
    if (blobId) await this.#blobs.unlink([blobId]);
  }

  async #purgeIfDue(): Promise<void> {
    const now = this.#clock.now();
    if (now - this.#lastPurgeMs < PURGE_INTERVAL_MS) return;
    this.#lastPurgeMs = now;
    const blobIds = this.#db.transaction(() => {
      const ids = (this.#stmts.expiredBlobIds.all(now) as { blob_id: string }[]).map((r) => r.blob_id);
      this.#stmts.purge.run(now);
      return ids;
    }).immediate();
    await this.#blobs.unlink(blobIds);
  }
}

function inlineValue(body: WrittenBody): Buffer | null {
  return body.kind === "inline" ? Buffer.from(body.bytes.buffer, body.bytes.byteOffset, body.bytes.byteLength) : null;
}

function migrate(db: SqliteDatabase): void {
  db.transaction(() => {
    const version = db.pragma("user_version", { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(`This cache database was written by a newer Hearth (schema ${version}, this one knows ${SCHEMA_VERSION}).`);
    }
    if (version === SCHEMA_VERSION) return;
    db.exec(SCHEMA);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

function prepare(db: SqliteDatabase) {
  return {
    get: db.prepare("SELECT status, status_text, headers, vary, expires_ms, size, value, blob_id FROM cache_entries WHERE url = ?"),
    blobId: db.prepare("SELECT blob_id FROM cache_entries WHERE url = ?"),
    blobIds: db.prepare("SELECT blob_id FROM cache_entries WHERE blob_id IS NOT NULL"),
    upsert: db.prepare(
      `INSERT INTO cache_entries (url, status, status_text, headers, vary, expires_ms, size, value, blob_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (url) DO UPDATE SET status = excluded.status, status_text = excluded.status_text,
         headers = excluded.headers, vary = excluded.vary, expires_ms = excluded.expires_ms,
         size = excluded.size, value = excluded.value, blob_id = excluded.blob_id`,
    ),
    delete: db.prepare("DELETE FROM cache_entries WHERE url = ?"),
    expiredBlobIds: db.prepare("SELECT blob_id FROM cache_entries WHERE expires_ms <= ? AND blob_id IS NOT NULL"),
    purge: db.prepare("DELETE FROM cache_entries WHERE expires_ms <= ?"),
  };
}
