import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { test } from "node:test";
import { BlobFiles, writeFileDurably } from "./blob-files.js";

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "hearth-blob-files-"));

test("BlobFiles writes a temp file, renames it into place and refuses ids it did not make", async () => {
  const blobs = new BlobFiles(path.join(tempDir(), "blobs"), "KV");
  const blobId = blobs.newBlobId();
  assert.match(blobId, /^[0-9a-f]{32}$/);
  const temp = blobs.tempPath(blobId);
  assert.equal(path.basename(temp), `.tmp-${process.pid}-${blobId}`);
  await writeFileDurably(temp, new Uint8Array([1, 2, 3]));
  await assert.rejects(writeFileDurably(temp, new Uint8Array([4])), { code: "EEXIST" });
  blobs.renameIntoPlaceSync(temp, blobs.blobPath(blobId));
  assert.deepEqual([...fs.readFileSync(blobs.blobPath(blobId))], [1, 2, 3]);
  assert.throws(() => blobs.blobPath("../x"), { message: 'KV database holds an invalid blob id "../x"' });
  await blobs.unlink([blobId]);
  assert.deepEqual(fs.readdirSync(blobs.dir), []);
});

test("BlobFiles sweeps temp files of dead writers and files no row references", () => {
  const blobs = new BlobFiles(tempDir(), "R2");
  const own = blobs.tempPath(blobs.newBlobId());
  const dead = path.join(blobs.dir, `.tmp-999999999-${blobs.newBlobId()}`);
  const kept = blobs.newBlobId();
  const orphan = blobs.newBlobId();
  for (const file of [own, dead, blobs.blobPath(kept), blobs.blobPath(orphan)]) fs.writeFileSync(file, "x");
  blobs.removeStaleTempFiles();
  blobs.removeUnreferencedSync(new Set([kept]));
  assert.deepEqual(fs.readdirSync(blobs.dir).sort(), [path.basename(own), kept].sort());
});
