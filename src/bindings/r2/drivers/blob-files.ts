/**
 * The file half of the embedded R2 driver: bodies written to `blobs/` durably while they are hashed,
 * read back in chunks, and the sweep of files no row references (docs/storage.md, section 3).
 *
 *     blobs/<32 hex>            one body (or one multipart part), named by a random id
 *     blobs/.tmp-<pid>-<32 hex> a body being written; never referenced by a row
 *
 * A file name is always a random id made here, never anything from a key.
 */
import { createHash, randomBytes, type Hash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import process from "node:process";
import type { R2Body, R2ChecksumAlgorithm } from "../store.js";

/** Bodies up to this size, in bytes, live in the row; larger ones become blob files. */
export const R2_INLINE_BODY_MAX_BYTES = 64 * 1024;
/** Size of the chunks a body is read back in, in bytes (measured: larger chunks raise the peak memory of a streamed download, not its speed). */
export const R2_READ_CHUNK_BYTES = 64 * 1024;
/** A temp file older than this, in milliseconds, is removed on open even if its writer seems alive. */
const TEMP_FILE_MAX_AGE_MS = 60 * 60 * 1000;
const TEMP_PREFIX = ".tmp-";
const BLOB_ID_PATTERN = /^[0-9a-f]{32}$/;

/** A body that has been consumed: kept inline, or waiting in a temp file to be renamed into place. */
export type WrittenBody =
  | { kind: "inline"; bytes: Uint8Array; size: number; digests: Map<R2ChecksumAlgorithm, string> }
  | { kind: "file"; blobId: string; tempPath: string; size: number; digests: Map<R2ChecksumAlgorithm, string> };

export class BlobFolder {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
    fs.mkdirSync(dir, { recursive: true });
  }

  /**
   * Consumes `body`, computing the `algorithms` digests (hex) on the way. A body of at most
   * `inlineMaxBytes` is returned in memory; a larger one is written to a fresh temp file and fsynced
   * (a negative limit puts every body, even an empty one, in a file).
   * If the body throws, the temp file is removed and the error rethrown.
   */
  async write(body: R2Body, algorithms: readonly R2ChecksumAlgorithm[], inlineMaxBytes: number): Promise<WrittenBody> {
    const hashes = algorithms.map((algorithm) => [algorithm, createHash(algorithm)] as [R2ChecksumAlgorithm, Hash]);
    const buffered: Uint8Array[] = [];
    let size = 0;
    let file: { handle: fs.promises.FileHandle; blobId: string; tempPath: string } | undefined;
    try {
      for await (const chunk of body) {
        for (const [, hash] of hashes) hash.update(chunk);
        size += chunk.byteLength;
        if (file === undefined && size <= inlineMaxBytes) {
          buffered.push(chunk.slice());
          continue;
        }
        file ??= await this.#createTemp(buffered.splice(0));
        await writeAll(file.handle, chunk);
      }
      const digests = new Map(hashes.map(([algorithm, hash]) => [algorithm, hash.digest("hex")]));
      if (file === undefined && size <= inlineMaxBytes) return { kind: "inline", bytes: joinChunks(buffered, size), size, digests };
      // An empty body with a negative inline limit still becomes a (zero-byte) file.
      file ??= await this.#createTemp(buffered.splice(0));
      await file.handle.sync();
      await file.handle.close();
      return { kind: "file", blobId: file.blobId, tempPath: file.tempPath, size, digests };
    } catch (error) {
      if (file !== undefined) {
        await file.handle.close().catch(() => undefined);
        await removeQuietly(file.tempPath);
      }
      throw error;
    }
  }

  /** A fresh temp file holding `earlier` (the chunks buffered so far). */
  async #createTemp(earlier: readonly Uint8Array[]): Promise<{ handle: fs.promises.FileHandle; blobId: string; tempPath: string }> {
    const blobId = randomBytes(16).toString("hex");
    const tempPath = path.join(this.dir, `${TEMP_PREFIX}${process.pid}-${blobId}`);
    const handle = await fs.promises.open(tempPath, "wx");
    try {
      for (const chunk of earlier) await writeAll(handle, chunk);
    } catch (error) {
      await handle.close().catch(() => undefined);
      await removeQuietly(tempPath);
      throw error;
    }
    return { handle, blobId, tempPath };
  }

  /** The path of a stored blob; refuses anything that is not one of this module's ids. */
  blobPath(blobId: string): string {
    if (!BLOB_ID_PATTERN.test(blobId)) throw new Error(`R2 database holds an invalid blob id ${JSON.stringify(blobId)}`);
    return path.join(this.dir, blobId);
  }

  /** Moves a written temp file to its final name and makes the rename durable (call under the write lock). */
  commitSync(body: WrittenBody & { kind: "file" }): void {
    fs.renameSync(body.tempPath, this.blobPath(body.blobId));
    fsyncDirectory(this.dir);
  }

  /** Removes a temp file that will not be committed, or a committed file whose row rolled back. */
  async discard(body: WrittenBody): Promise<void> {
    if (body.kind !== "file") return;
    await removeQuietly(body.tempPath);
    await removeQuietly(this.blobPath(body.blobId));
  }

  /** Unlinks blobs no row references any more (after the commit that dropped them). */
  async unlink(blobIds: readonly string[]): Promise<void> {
    for (const blobId of blobIds) await removeQuietly(this.blobPath(blobId));
  }

  /** Opens a blob for reading; null when it is gone (replaced meanwhile). */
  async open(blobId: string): Promise<fs.promises.FileHandle | null> {
    try {
      return await fs.promises.open(this.blobPath(blobId), "r");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw e;
    }
  }

  /** Removes temp files whose writer process is gone (or that are too old to be live). */
  removeStaleTempFiles(): void {
    const now = Date.now(); // file ages are compared with file-system time, not the injected clock
    for (const name of fs.readdirSync(this.dir)) {
      if (!name.startsWith(TEMP_PREFIX)) continue;
      const file = path.join(this.dir, name);
      const pid = Number(name.slice(TEMP_PREFIX.length).split("-")[0]);
      let stale = !Number.isInteger(pid) || (pid !== process.pid && !processIsAlive(pid));
      if (!stale) {
        try {
          stale = now - fs.statSync(file).mtimeMs > TEMP_FILE_MAX_AGE_MS;
        } catch {
          continue;
        }
      }
      if (stale) removeQuietlySync(file);
    }
  }

  /** Removes committed-looking files not in `referenced` (call under the write lock). */
  removeUnreferencedSync(referenced: ReadonlySet<string>): void {
    for (const name of fs.readdirSync(this.dir)) {
      if (name.startsWith(TEMP_PREFIX) || referenced.has(name)) continue;
      removeQuietlySync(path.join(this.dir, name));
    }
  }
}

async function writeAll(handle: fs.promises.FileHandle, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.byteLength) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
    offset += bytesWritten;
  }
}

function joinChunks(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** Makes a rename inside `dir` durable. Some platforms cannot open folders; there it is skipped. */
function fsyncDirectory(dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, "r");
  } catch {
    return;
  }
  try {
    fs.fsyncSync(fd);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "EINVAL" && code !== "EPERM" && code !== "EISDIR") throw e;
  } finally {
    fs.closeSync(fd);
  }
}

async function removeQuietly(file: string): Promise<void> {
  await fs.promises.rm(file, { force: true }).catch(() => undefined);
}

function removeQuietlySync(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // Left for the next open's sweep.
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
