/**
 * The embedded R2 driver: one SQLite database per bucket plus a folder of blob files.
 *
 *     <dir>/db.sqlite            r2_objects, r2_uploads, r2_parts (sqlite-schema.ts), WAL mode
 *     <dir>/blobs/<32 hex>       bodies over 64 KiB and every multipart part, one file each
 *     <dir>/blobs/.tmp-<pid>-…   a body being written (never referenced by a row)
 *
 * Keys live only in SQLite; files are named by random ids, so no key can become a path.
 *
 * Crash safety follows docs/storage.md: a body is streamed to a temp file while it is hashed and
 * fsynced; then, inside a `BEGIN IMMEDIATE` transaction (under SQLite's write lock), the condition
 * is checked again, the file renamed into place, the folder fsynced and the row written; replaced
 * files are unlinked after the commit. On open, temp files of dead writers and files no row
 * references are removed, and multipart uploads past their lifetime are dropped.
 */
import { Buffer } from "node:buffer";
import { createHash, randomBytes } from "node:crypto";
import path from "node:path";
import { systemClock, type Clock } from "../../../shared/clock.js";
import { openSqlite, type SqliteDatabase } from "../../../shared/sqlite.js";
import { conditionHolds } from "../conditional.js";
import { R2_MIN_MULTIPART_PART_SIZE_BYTES, R2_MULTIPART_UPLOAD_LIFETIME_MS } from "../limits.js";
import { multipartEtag, selectCompletedParts, type UploadedPart } from "../multipart-rules.js";
import { resolveRange } from "../range.js";
import {
  R2StoreFailure,
  type R2ChecksumsHex,
  type R2GetOptions,
  type R2GetResult,
  type R2ListPage,
  type R2ListQuery,
  type R2MultipartInput,
  type R2ObjectMeta,
  type R2PartRef,
  type R2PutInput,
  type R2Store,
  type R2UploadPartInput,
} from "../store.js";
import { BlobFolder, R2_INLINE_BODY_MAX_BYTES, type WrittenBody } from "./blob-files.js";
import { createBodyReader, slicesFor, type BodySegment } from "./body-reader.js";
import { KeyOrder } from "./key-order.js";
import { listPage } from "./list.js";
import {
  migrate,
  prepareStatements,
  UPLOAD_ABORTED,
  UPLOAD_COMPLETED,
  UPLOAD_IN_PROGRESS,
  type ObjectBodyRow,
  type ObjectRow,
  type PartRow,
  type Statements,
  type UploadRow,
} from "./sqlite-schema.js";

/** The database file inside a bucket folder. */
export const R2_DB_FILE = "db.sqlite";
/** The folder, inside a bucket folder, holding bodies stored as files. */
export const R2_BLOBS_DIR = "blobs";
/** How often a read retries when the file its row named was replaced under it. */
const READ_ATTEMPTS = 3;

export interface SqliteR2StoreOptions {
  /** Upload times and multipart expiry. Default: the system clock. */
  clock?: Clock;
  /** Smallest multipart part but the last, in bytes. Default R2_MIN_MULTIPART_PART_SIZE_BYTES; tests lower it. */
  minPartSizeBytes?: number;
}

/** Opens (creating if needed) the bucket stored in `dir`. */
export function openSqliteR2Store(dir: string, options: SqliteR2StoreOptions = {}): R2Store {
  return new SqliteR2Store(dir, options.clock ?? systemClock, options.minPartSizeBytes ?? R2_MIN_MULTIPART_PART_SIZE_BYTES);
}

const md5Hex = (bytes: Uint8Array) => createHash("md5").update(bytes).digest("hex");
const encodeKey = (key: string) => Buffer.from(key, "utf8");

class SqliteR2Store implements R2Store {
  readonly #db: SqliteDatabase;
  readonly #blobs: BlobFolder;
  readonly #clock: Clock;
  readonly #minPartSizeBytes: number;
  readonly #stmts: Statements;
  /** Writes to one key commit in call order; writes to different keys do not wait for each other. */
  readonly #order = new KeyOrder();
  #closed = false;

  constructor(dir: string, clock: Clock, minPartSizeBytes: number) {
    this.#clock = clock;
    this.#minPartSizeBytes = minPartSizeBytes;
    this.#blobs = new BlobFolder(path.join(dir, R2_BLOBS_DIR));
    // WAL, synchronous = FULL and a busy timeout, as every Hearth database (docs/storage.md).
    this.#db = openSqlite(path.join(dir, R2_DB_FILE));
    try {
      migrate(this.#db);
      this.#stmts = prepareStatements(this.#db);
      this.#expireUploads();
      this.#blobs.removeStaleTempFiles();
      // Under the write lock: no writer can be between renaming its blob and committing its row.
      this.#db
        .transaction(() => {
          const referenced = new Set((this.#stmts.allBlobIds.all() as { blob_id: string }[]).map((r) => r.blob_id));
          this.#blobs.removeUnreferencedSync(referenced);
        })
        .immediate();
    } catch (e) {
      this.#db.close();
      throw e;
    }
  }

  async head(key: string): Promise<R2ObjectMeta | null> {
    this.#assertOpen();
    const row = this.#stmts.head.get(encodeKey(key)) as ObjectRow | undefined;
    return row === undefined ? null : toMeta(row);
  }

  async get(key: string, options: R2GetOptions = {}): Promise<R2GetResult | null> {
    this.#assertOpen();
    for (let attempt = 1; ; attempt++) {
      const row = this.#stmts.getWithBody.get(encodeKey(key)) as ObjectBodyRow | undefined;
      if (row === undefined) return null;
      const object = toMeta(row);
      if (options.onlyIf !== undefined && !conditionHolds(options.onlyIf, object)) return { status: "precondition-failed", object };
      const range = resolveRange(options.range, object.size);
      if (range === "unsatisfiable") throw new R2StoreFailure({ code: "InvalidRange" });
      const slices = slicesFor(this.#segments(row), range);
      const firstSegment = slices[0]?.segment;
      let first: Awaited<ReturnType<BlobFolder["open"]>> | undefined;
      if (firstSegment?.kind === "file") {
        first = await this.#blobs.open(firstSegment.blobId);
        // Replaced between reading the row and opening its file: read the row again.
        if (first === null) {
          if (attempt < READ_ATTEMPTS) continue;
          throw new Error(`R2 blob ${firstSegment.blobId} is missing for key ${JSON.stringify(key)}`);
        }
      }
      const body = createBodyReader(slices, first ?? undefined, (blobId) => this.#blobs.open(blobId));
      return { status: "ok", object, range, body };
    }
  }

  async put(input: R2PutInput): Promise<R2ObjectMeta | null> {
    this.#assertOpen();
    const key = encodeKey(input.key);
    if (input.onlyIf !== undefined && !conditionHolds(input.onlyIf, this.#currentMeta(key))) {
      await closeBody(input.body);
      return null;
    }
    return this.#order.run([input.key], (turn) => this.#put(input, key, turn));
  }

  /** The body is written while earlier writes to the key finish; the commit waits for its `turn`. */
  async #put(input: R2PutInput, key: Buffer, turn: Promise<void>): Promise<R2ObjectMeta | null> {
    const expected = input.expectedChecksum;
    const algorithms = expected === undefined || expected.algorithm === "md5" ? (["md5"] as const) : (["md5", expected.algorithm] as const);
    const written = await this.#blobs.write(input.body, algorithms, R2_INLINE_BODY_MAX_BYTES);
    let row: ObjectBodyRow;
    let replaced: string[] | null;
    try {
      const checksums: R2ChecksumsHex = { md5: written.digests.get("md5")! };
      if (expected !== undefined) {
        const actual = written.digests.get(expected.algorithm)!;
        if (actual !== expected.hex.toLowerCase()) {
          throw new R2StoreFailure({ code: "BadDigest", algorithm: HASH_NAMES[expected.algorithm], providedHex: expected.hex, actualHex: actual });
        }
        checksums[expected.algorithm] = actual;
      }
      await turn;
      row = {
        key,
        version: randomBytes(16).toString("hex"),
        size: written.size,
        etag: checksums.md5!,
        uploaded_ms: this.#clock.now(),
        http_metadata: JSON.stringify(input.httpMetadata),
        custom_metadata: JSON.stringify(input.customMetadata),
        checksums: JSON.stringify(checksums),
        storage_class: input.storageClass,
        value: written.kind === "inline" ? Buffer.from(written.bytes.buffer, written.bytes.byteOffset, written.bytes.byteLength) : null,
        blob_id: written.kind === "file" ? written.blobId : null,
        upload_id: null,
      };
      const committed = row;
      replaced = this.#db
        .transaction((): string[] | null => {
          if (input.onlyIf !== undefined && !conditionHolds(input.onlyIf, this.#currentMeta(key))) return null;
          if (written.kind === "file") this.#blobs.commitSync(written);
          const old = this.#dropBody(key);
          this.#stmts.upsert.run(committed);
          return old;
        })
        .immediate();
    } catch (error) {
      // Nothing was committed: the new body's file (temp or already renamed) goes away.
      await this.#blobs.discard(written);
      throw error;
    }
    if (replaced === null) {
      await this.#blobs.discard(written);
      return null;
    }
    await this.#blobs.unlink(replaced);
    return toMeta(row);
  }

  async delete(keys: readonly string[]): Promise<void> {
    this.#assertOpen();
    await this.#order.run(keys, async (turn) => {
      await turn;
      const removed = this.#db.transaction(() => keys.flatMap((key) => this.#dropBody(encodeKey(key), true))).immediate();
      await this.#blobs.unlink(removed);
    });
  }

  async list(query: R2ListQuery): Promise<R2ListPage> {
    this.#assertOpen();
    const page = listPage(this.#stmts, query);
    return { ...page, objects: page.objects.map(toMeta) };
  }

  async createMultipartUpload(input: R2MultipartInput): Promise<string> {
    this.#assertOpen();
    const uploadId = randomBytes(24).toString("base64url");
    this.#stmts.insertUpload.run(
      uploadId,
      encodeKey(input.key),
      JSON.stringify(input.httpMetadata),
      JSON.stringify(input.customMetadata),
      input.storageClass,
      this.#clock.now(),
    );
    return uploadId;
  }

  async uploadPart(input: R2UploadPartInput): Promise<{ etag: string }> {
    this.#assertOpen();
    // No key order between parts (each has its own row), but close() waits for them.
    return this.#order.run([], () => this.#uploadPart(input));
  }

  async #uploadPart(input: R2UploadPartInput): Promise<{ etag: string }> {
    const key = encodeKey(input.key);
    // Checked before the body is read, so a part for an unknown upload is refused at once…
    if (this.#uploadState(input.uploadId, key)?.state !== UPLOAD_IN_PROGRESS) {
      await closeBody(input.body);
      throw new R2StoreFailure({ code: "NoSuchUpload" });
    }
    // Parts are always files (inline limit -1): the completed object references them.
    const written = (await this.#blobs.write(input.body, ["md5"], -1)) as WrittenBody & { kind: "file" };
    const md5 = written.digests.get("md5")!;
    let replaced: string | null;
    try {
      replaced = this.#db
        .transaction((): string | null => {
          // …and again under the write lock, where an abort or completion cannot interleave.
          if (this.#uploadState(input.uploadId, key)?.state !== UPLOAD_IN_PROGRESS) throw new R2StoreFailure({ code: "NoSuchUpload" });
          this.#blobs.commitSync(written);
          const old = this.#stmts.partBlob.get(input.uploadId, input.partNumber) as { blob_id: string } | undefined;
          this.#stmts.upsertPart.run(input.uploadId, input.partNumber, written.blobId, written.size, md5, md5);
          return old?.blob_id ?? null;
        })
        .immediate();
    } catch (error) {
      await this.#blobs.discard(written);
      throw error;
    }
    if (replaced !== null) await this.#blobs.unlink([replaced]);
    return { etag: md5 };
  }

  async completeMultipartUpload(input: { key: string; uploadId: string; parts: readonly R2PartRef[] }): Promise<R2ObjectMeta> {
    this.#assertOpen();
    const key = encodeKey(input.key);
    return this.#order.run([input.key], async (turn) => {
      await turn;
      const { row, dropped } = this.#db
        .transaction(() => {
          const upload = this.#uploadState(input.uploadId, key);
          if (upload === undefined || upload.state !== UPLOAD_IN_PROGRESS) throw new R2StoreFailure({ code: "NoSuchUpload" });
          const uploaded = new Map<number, UploadedPart>();
          for (const part of this.#stmts.partsOf.all(input.uploadId) as PartRow[]) {
            uploaded.set(part.part_number, { partNumber: part.part_number, etag: part.etag, size: part.size, md5: part.md5 });
          }
          const parts = selectCompletedParts(input.parts, uploaded, this.#minPartSizeBytes);
          const kept = new Set(parts.map((p) => p.partNumber));
          const dropped = this.#dropBody(key);
          for (const number of uploaded.keys()) {
            if (kept.has(number)) continue;
            const gone = this.#stmts.deletePart.get(input.uploadId, number) as { blob_id: string } | undefined;
            if (gone) dropped.push(gone.blob_id);
          }
          const row: ObjectBodyRow = {
            key,
            version: randomBytes(16).toString("hex"),
            size: parts.reduce((sum, p) => sum + p.size, 0),
            etag: multipartEtag(parts.map((p) => p.md5), md5Hex),
            uploaded_ms: this.#clock.now(),
            http_metadata: upload.http_metadata,
            custom_metadata: upload.custom_metadata,
            checksums: "{}",
            storage_class: upload.storage_class,
            value: null,
            blob_id: null,
            upload_id: input.uploadId,
          };
          this.#stmts.upsert.run(row);
          this.#stmts.setUploadState.run(UPLOAD_COMPLETED, input.uploadId);
          return { row, dropped };
        })
        .immediate();
      await this.#blobs.unlink(dropped);
      return toMeta(row);
    });
  }

  async abortMultipartUpload(input: { key: string; uploadId: string }): Promise<void> {
    this.#assertOpen();
    const dropped = this.#db
      .transaction((): string[] => {
        const upload = this.#uploadState(input.uploadId, encodeKey(input.key));
        if (upload === undefined) throw new R2StoreFailure({ code: "NoSuchUpload" });
        if (upload.state !== UPLOAD_IN_PROGRESS) return [];
        this.#stmts.setUploadState.run(UPLOAD_ABORTED, input.uploadId);
        return (this.#stmts.deleteParts.all(input.uploadId) as { blob_id: string }[]).map((r) => r.blob_id);
      })
      .immediate();
    await this.#blobs.unlink(dropped);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#order.idle();
    this.#db.close();
  }

  /** The object under `key` for a condition check, or null. */
  #currentMeta(key: Buffer): { etag: string; uploadedMs: number } | null {
    const row = this.#stmts.head.get(key) as ObjectRow | undefined;
    return row === undefined ? null : { etag: row.etag, uploadedMs: row.uploaded_ms };
  }

  /**
   * Inside a write transaction: forgets the body of the object under `key` (its multipart parts
   * too) and returns the blob ids to unlink after the commit. `deleteRow` also removes the row.
   */
  #dropBody(key: Buffer, deleteRow = false): string[] {
    const row = (deleteRow ? this.#stmts.delete.get(key) : this.#stmts.bodyOf.get(key)) as
      | { blob_id: string | null; upload_id: string | null }
      | undefined;
    if (row === undefined) return [];
    if (row.blob_id !== null) return [row.blob_id];
    if (row.upload_id !== null) return (this.#stmts.deleteParts.all(row.upload_id) as { blob_id: string }[]).map((r) => r.blob_id);
    return [];
  }

  #segments(row: ObjectBodyRow): BodySegment[] {
    if (row.value !== null) return [{ kind: "bytes", bytes: row.value }];
    if (row.blob_id !== null) return [{ kind: "file", blobId: row.blob_id, size: row.size }];
    return (this.#stmts.partsOf.all(row.upload_id) as PartRow[]).map((p) => ({ kind: "file", blobId: p.blob_id, size: p.size }));
  }

  #uploadState(uploadId: string, key: Buffer): UploadRow | undefined {
    return this.#stmts.upload.get(uploadId, key) as UploadRow | undefined;
  }

  /** Drops in-progress uploads past their lifetime (and their parts), and old finished-upload records. */
  #expireUploads(): void {
    const cutoff = this.#clock.now() - R2_MULTIPART_UPLOAD_LIFETIME_MS;
    this.#db
      .transaction(() => {
        for (const upload of this.#stmts.expiredUploads.all(cutoff) as { upload_id: string; state: number }[]) {
          // A completed upload's parts now belong to its object; only unfinished ones are dropped.
          if (upload.state === UPLOAD_IN_PROGRESS) this.#stmts.deleteParts.run(upload.upload_id);
          this.#stmts.deleteUpload.run(upload.upload_id);
        }
      })
      .immediate();
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error("This R2 store has been closed");
  }
}

const HASH_NAMES = { md5: "MD5", sha1: "SHA-1", sha256: "SHA-256", sha384: "SHA-384", sha512: "SHA-512" } as const;

function toMeta(row: ObjectRow): R2ObjectMeta {
  return {
    key: row.key.toString("utf8"),
    version: row.version,
    size: row.size,
    etag: row.etag,
    uploadedMs: row.uploaded_ms,
    httpMetadata: JSON.parse(row.http_metadata),
    customMetadata: JSON.parse(row.custom_metadata),
    checksums: JSON.parse(row.checksums),
    storageClass: row.storage_class,
  };
}

/** Stops a body nobody will read (a failed precondition or an unknown upload). */
async function closeBody(body: AsyncIterable<Uint8Array>): Promise<void> {
  const iterator = body[Symbol.asyncIterator]();
  if (iterator.return === undefined) return;
  try {
    await iterator.return();
  } catch {
    // The caller's stream failed to cancel; nothing was written either way.
  }
}
