/**
 * The SQLite half of the embedded R2 driver: schema, migration and the prepared statements.
 * docs/storage.md (section "R2") shows the same schema for people reading the files.
 */
import type Database from "better-sqlite3";

/** Version of the schema below, kept in `PRAGMA user_version`. */
export const R2_SCHEMA_VERSION = 1;

/** `r2_uploads.state` values. */
export const UPLOAD_IN_PROGRESS = 0;
export const UPLOAD_COMPLETED = 1;
export const UPLOAD_ABORTED = 2;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS r2_objects (
  key             BLOB    NOT NULL PRIMARY KEY, -- the key's UTF-8 bytes; BLOBs compare with memcmp = R2 list order
  version         TEXT    NOT NULL,             -- random hex, new on every write
  size            INTEGER NOT NULL,             -- bytes
  etag            TEXT    NOT NULL,             -- hex MD5, or <hex>-<part count> for multipart objects
  uploaded_ms     INTEGER NOT NULL,             -- milliseconds since the UNIX epoch
  http_metadata   TEXT    NOT NULL,             -- JSON: contentType … cacheExpiryMs
  custom_metadata TEXT    NOT NULL,             -- JSON object of strings
  checksums       TEXT    NOT NULL,             -- JSON: algorithm -> hex
  storage_class   TEXT    NOT NULL,
  value           BLOB,                         -- the body, when at most 64 KiB
  blob_id         TEXT,                         -- else the file in blobs/ holding it
  upload_id       TEXT,                         -- else the multipart upload whose r2_parts hold it
  CHECK ((value IS NOT NULL) + (blob_id IS NOT NULL) + (upload_id IS NOT NULL) = 1)
);
CREATE TABLE IF NOT EXISTS r2_uploads (
  upload_id       TEXT    NOT NULL PRIMARY KEY,
  key             BLOB    NOT NULL,             -- the key it will complete to, UTF-8 bytes
  http_metadata   TEXT    NOT NULL,
  custom_metadata TEXT    NOT NULL,
  storage_class   TEXT    NOT NULL,
  created_ms      INTEGER NOT NULL,             -- milliseconds since the UNIX epoch
  state           INTEGER NOT NULL              -- 0 in progress, 1 completed, 2 aborted
);
CREATE TABLE IF NOT EXISTS r2_parts (
  upload_id       TEXT    NOT NULL,             -- in progress: the upload's; completed: the object's upload_id
  part_number     INTEGER NOT NULL,             -- 1 … 10000
  blob_id         TEXT    NOT NULL,             -- the file in blobs/ holding the part
  size            INTEGER NOT NULL,             -- bytes
  etag            TEXT    NOT NULL,
  md5             TEXT    NOT NULL,             -- hex MD5 of the part
  PRIMARY KEY (upload_id, part_number)
);
`;

export interface ObjectRow {
  key: Buffer;
  version: string;
  size: number;
  etag: string;
  uploaded_ms: number;
  http_metadata: string;
  custom_metadata: string;
  checksums: string;
  storage_class: string;
}

/** An object row with where its body is. */
export interface ObjectBodyRow extends ObjectRow {
  value: Buffer | null;
  blob_id: string | null;
  upload_id: string | null;
}

export interface UploadRow {
  http_metadata: string;
  custom_metadata: string;
  storage_class: string;
  state: number;
}

export interface PartRow {
  part_number: number;
  blob_id: string;
  size: number;
  etag: string;
  md5: string;
}

/** Creates or upgrades the schema, refusing a database from a newer Hearth. */
export function migrate(db: Database.Database): void {
  db.transaction(() => {
    const version = db.pragma("user_version", { simple: true }) as number;
    if (version > R2_SCHEMA_VERSION) {
      throw new Error(`${db.name} was written by a newer Hearth (R2 schema version ${version}, this one knows ${R2_SCHEMA_VERSION})`);
    }
    db.exec(SCHEMA);
    if (version < R2_SCHEMA_VERSION) db.pragma(`user_version = ${R2_SCHEMA_VERSION}`);
  }).immediate();
}

const META_COLUMNS = "key, version, size, etag, uploaded_ms, http_metadata, custom_metadata, checksums, storage_class";

/** The SQL of every statement, by name. */
const STATEMENTS = {
  head: `SELECT ${META_COLUMNS} FROM r2_objects WHERE key = ?`,
  getWithBody: `SELECT ${META_COLUMNS}, value, blob_id, upload_id FROM r2_objects WHERE key = ?`,
  bodyOf: "SELECT blob_id, upload_id FROM r2_objects WHERE key = ?",
  upsert: `INSERT INTO r2_objects (${META_COLUMNS}, value, blob_id, upload_id)
    VALUES (@key, @version, @size, @etag, @uploaded_ms, @http_metadata, @custom_metadata, @checksums, @storage_class,
            @value, @blob_id, @upload_id)
    ON CONFLICT (key) DO UPDATE SET version = excluded.version, size = excluded.size, etag = excluded.etag,
      uploaded_ms = excluded.uploaded_ms, http_metadata = excluded.http_metadata,
      custom_metadata = excluded.custom_metadata, checksums = excluded.checksums,
      storage_class = excluded.storage_class, value = excluded.value, blob_id = excluded.blob_id,
      upload_id = excluded.upload_id`,
  delete: "DELETE FROM r2_objects WHERE key = ? RETURNING blob_id, upload_id",
  listFrom: `SELECT ${META_COLUMNS} FROM r2_objects WHERE key >= ? AND key < ? ORDER BY key LIMIT ?`,
  anyFrom: "SELECT 1 FROM r2_objects WHERE key >= ? AND key < ? LIMIT 1",
  insertUpload: `INSERT INTO r2_uploads (upload_id, key, http_metadata, custom_metadata, storage_class, created_ms, state)
    VALUES (?, ?, ?, ?, ?, ?, ${UPLOAD_IN_PROGRESS})`,
  upload: "SELECT http_metadata, custom_metadata, storage_class, state FROM r2_uploads WHERE upload_id = ? AND key = ?",
  setUploadState: "UPDATE r2_uploads SET state = ? WHERE upload_id = ?",
  partsOf: "SELECT part_number, blob_id, size, etag, md5 FROM r2_parts WHERE upload_id = ? ORDER BY part_number",
  partBlob: "SELECT blob_id FROM r2_parts WHERE upload_id = ? AND part_number = ?",
  upsertPart: `INSERT INTO r2_parts (upload_id, part_number, blob_id, size, etag, md5) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (upload_id, part_number) DO UPDATE SET blob_id = excluded.blob_id, size = excluded.size,
      etag = excluded.etag, md5 = excluded.md5`,
  deletePart: "DELETE FROM r2_parts WHERE upload_id = ? AND part_number = ? RETURNING blob_id",
  deleteParts: "DELETE FROM r2_parts WHERE upload_id = ? RETURNING blob_id",
  expiredUploads: "SELECT upload_id, state FROM r2_uploads WHERE created_ms <= ?",
  deleteUpload: "DELETE FROM r2_uploads WHERE upload_id = ?",
  allBlobIds: "SELECT blob_id FROM r2_objects WHERE blob_id IS NOT NULL UNION SELECT blob_id FROM r2_parts",
} as const;

/** Every statement, prepared once per handle. */
export type Statements = { [K in keyof typeof STATEMENTS]: Database.Statement };

export function prepareStatements(db: Database.Database): Statements {
  const out = {} as Record<keyof typeof STATEMENTS, Database.Statement>;
  for (const name of Object.keys(STATEMENTS) as (keyof typeof STATEMENTS)[]) out[name] = db.prepare(STATEMENTS[name]);
  return out;
}
