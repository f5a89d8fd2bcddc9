import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { runR2StoreCases } from "../store.case.js";
import type { R2Store } from "../store.js";
import { openSqliteR2Store, R2_BLOBS_DIR, R2_DB_FILE } from "./sqlite.js";

const tempDirs: string[] = [];
after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-r2-sqlite-"));
  tempDirs.push(dir);
  return dir;
}

runR2StoreCases("sqlite", async ({ clock, minPartSizeBytes }) => {
  const dir = tempDir();
  const open = () => openSqliteR2Store(dir, { clock, minPartSizeBytes });
  let current: R2Store = open();
  return {
    store: current,
    reopen: async () => {
      await current.close();
      current = open();
      return current;
    },
    openAnother: async () => open(),
    dispose: async () => {
      await current.close();
    },
  };
});

async function* chunks(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* parts;
}

const put = (store: R2Store, key: string, bytes: Uint8Array) =>
  store.put({ key, body: chunks(bytes), httpMetadata: {}, customMetadata: {}, storageClass: "Standard" });

describe("sqlite R2 driver on disk", () => {
  it("names blob files by random ids and keeps keys out of the file system", async () => {
    const dir = tempDir();
    const store = openSqliteR2Store(dir);
    await put(store, "../../outside", new Uint8Array(100_000));
    await put(store, "small/../x", new Uint8Array(10));
    await store.close();
    const blobs = fs.readdirSync(path.join(dir, R2_BLOBS_DIR));
    assert.equal(blobs.length, 1);
    assert.match(blobs[0]!, /^[0-9a-f]{32}$/);
    assert.deepEqual(fs.readdirSync(dir).sort(), [R2_BLOBS_DIR, R2_DB_FILE, `${R2_DB_FILE}-shm`, `${R2_DB_FILE}-wal`].filter((f) => fs.existsSync(path.join(dir, f))).sort());
    assert.ok(!fs.existsSync(path.join(dir, "..", "..", "outside")));
  });

  it("unlinks replaced and deleted blobs, and multipart parts with their object", async () => {
    const dir = tempDir();
    const blobs = () => fs.readdirSync(path.join(dir, R2_BLOBS_DIR));
    const store = openSqliteR2Store(dir, { minPartSizeBytes: 1 });
    await put(store, "k", new Uint8Array(100_000));
    await put(store, "k", new Uint8Array(200_000));
    assert.equal(blobs().length, 1);
    const uploadId = await store.createMultipartUpload({ key: "m", httpMetadata: {}, customMetadata: {}, storageClass: "Standard" });
    const p1 = await store.uploadPart({ key: "m", uploadId, partNumber: 1, body: chunks(new Uint8Array(10)) });
    await store.uploadPart({ key: "m", uploadId, partNumber: 2, body: chunks(new Uint8Array(5)) });
    assert.equal(blobs().length, 3);
    await store.completeMultipartUpload({ key: "m", uploadId, parts: [{ partNumber: 1, etag: p1.etag }] });
    assert.equal(blobs().length, 2, "the part left out of the object is removed");
    await store.delete(["k", "m"]);
    assert.deepEqual(blobs(), []);
    await store.close();
  });

  it("removes unreferenced blobs and dead writers' temp files on open", async () => {
    const dir = tempDir();
    openSqliteR2Store(dir).close();
    const blobsDir = path.join(dir, R2_BLOBS_DIR);
    fs.writeFileSync(path.join(blobsDir, "0123456789abcdef0123456789abcdef"), "orphan");
    fs.writeFileSync(path.join(blobsDir, ".tmp-999999999-0123456789abcdef0123456789abcdef"), "partial");
    const store = openSqliteR2Store(dir);
    assert.deepEqual(fs.readdirSync(blobsDir), []);
    await store.close();
  });

  it("refuses a database written by a newer schema", async () => {
    const dir = tempDir();
    await openSqliteR2Store(dir).close();
    const db = new Database(path.join(dir, R2_DB_FILE));
    db.pragma("user_version = 99");
    db.close();
    assert.throws(() => openSqliteR2Store(dir), /newer Hearth/);
  });

  it("refuses a row whose blob id is not one of its own", async () => {
    const dir = tempDir();
    const store = openSqliteR2Store(dir);
    await put(store, "k", new Uint8Array(100_000));
    const db = new Database(path.join(dir, R2_DB_FILE));
    db.prepare("UPDATE r2_objects SET blob_id = '../../etc/passwd'").run();
    db.close();
    await assert.rejects(store.get("k"), /invalid blob id/);
    await store.close();
  });
});
