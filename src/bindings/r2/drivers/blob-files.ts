/**
 * The file half of the embedded R2 driver: bodies written to `blobs/` durably while they are hashed,
 * read back in chunks, and the sweep of files no row references (docs/storage.md, section 3).
 *
 *     blobs/<32 hex>            one body (or one multipart part), named by a random id
 *     blobs/.tmp-<pid>-<32 hex> a body being written; never referenced by a row
 *
 * The folder layout, temp files, renames and sweeps are src/shared/blob-files.ts; this adds what
 * is R2's own: bodies streamed in while their digests are computed, small bodies kept inline, and
 * blobs read back through a file handle.
 */
import { createHash, type Hash } from "node:crypto";
import fs from "node:fs";
import { BlobFiles, removeQuietly, writeAll } from "../../../shared/blob-files.js";
import type { R2Body, R2ChecksumAlgorithm } from "../store.js";

/** Bodies up to this size, in bytes, live in the row; larger ones become blob files. */
export const R2_INLINE_BODY_MAX_BYTES = 64 * 1024;
/** Size of the chunks a body is read back in, in bytes (measured: larger chunks raise the peak memory of a streamed download, not its speed). */
export const R2_READ_CHUNK_BYTES = 64 * 1024;

/** A body that has been consumed: kept inline, or waiting in a temp file to be renamed into place. */
export type WrittenBody =
  | { kind: "inline"; bytes: Uint8Array; size: number; digests: Map<R2ChecksumAlgorithm, string> }
  | { kind: "file"; blobId: string; tempPath: string; size: number; digests: Map<R2ChecksumAlgorithm, string> };

export class BlobFolder extends BlobFiles {
  constructor(dir: string) {
    super(dir, "R2");
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
    const blobId = this.newBlobId();
    const tempPath = this.tempPath(blobId);
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

  /** Moves a written temp file to its final name and makes the rename durable (call under the write lock). */
  commitSync(body: WrittenBody & { kind: "file" }): void {
    this.renameIntoPlaceSync(body.tempPath, this.blobPath(body.blobId));
  }

  /** Removes a temp file that will not be committed, or a committed file whose row rolled back. */
  async discard(body: WrittenBody): Promise<void> {
    if (body.kind !== "file") return;
    await removeQuietly(body.tempPath);
    await removeQuietly(this.blobPath(body.blobId));
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
