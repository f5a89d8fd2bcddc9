/**
 * A folder of blob files, kept the way the embedded stores keep large values (KV values, R2
 * bodies; docs/storage.md, section 3):
 *
 *     <dir>/<32 hex>             one blob, named by a random id made here
 *     <dir>/.tmp-<pid>-<32 hex>  a blob being written; never referenced by a row
 *
 * A file name is always a random id made here, never anything from a key. A blob is written to a
 * temp file and fsynced; then, under the database's write lock, renamed to its final name with the
 * folder fsynced before its row commits. A blob a committed row no longer references is unlinked
 * after that commit. On open, temp files whose writer process is gone (or that are over an hour
 * old) and, under the write lock, files no row references are removed.
 *
 * What goes in a blob, when a value is inlined instead, and where the folder lives are each
 * driver's own decisions.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import process from "node:process";

/** A temp file older than this, in milliseconds, is removed on open even if its writer seems alive. */
const TEMP_FILE_MAX_AGE_MS = 60 * 60 * 1000;
const TEMP_PREFIX = ".tmp-";
const BLOB_ID_PATTERN = /^[0-9a-f]{32}$/;

export class BlobFiles {
  readonly dir: string;
  /** Names the store in messages ("KV", "R2"). */
  readonly #owner: string;

  /** Uses (creating if needed) the folder `dir`; `owner` names the store in error messages. */
  constructor(dir: string, owner: string) {
    this.dir = dir;
    this.#owner = owner;
    fs.mkdirSync(dir, { recursive: true });
  }

  /** A fresh random blob id. */
  newBlobId(): string {
    return randomBytes(16).toString("hex");
  }

  /** The temp file this process writes blob `blobId` to before it is committed. */
  tempPath(blobId: string): string {
    return path.join(this.dir, `${TEMP_PREFIX}${process.pid}-${blobId}`);
  }

  /** The path of a stored blob; refuses anything that is not one of this module's ids (no path tricks). */
  blobPath(blobId: string): string {
    if (!BLOB_ID_PATTERN.test(blobId)) throw new Error(`${this.#owner} database holds an invalid blob id ${JSON.stringify(blobId)}`);
    return path.join(this.dir, blobId);
  }

  /** Moves a written temp file to its final path and makes the rename durable (call under the write lock). */
  renameIntoPlaceSync(tempPath: string, finalPath: string): void {
    fs.renameSync(tempPath, finalPath);
    fsyncDirectory(this.dir);
  }

  /** Unlinks blobs no row references any more (after the commit that dropped them). */
  async unlink(blobIds: readonly string[]): Promise<void> {
    for (const blobId of blobIds) await removeQuietly(this.blobPath(blobId));
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

/** Writes `data` to a new file (failing if it exists) and fsyncs it. */
export async function writeFileDurably(file: string, data: Uint8Array): Promise<void> {
  const handle = await fs.promises.open(file, "wx");
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes all of `chunk` at the handle's position. */
export async function writeAll(handle: fs.promises.FileHandle, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.byteLength) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
    offset += bytesWritten;
  }
}

/** Removes a file, ignoring every error (a missing file included). */
export async function removeQuietly(file: string): Promise<void> {
  await fs.promises.rm(file, { force: true }).catch(() => undefined);
}

/** Removes a file, ignoring every error: what is left is removed by the next open's sweep. */
export function removeQuietlySync(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // Left for the next open's sweep.
  }
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

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
