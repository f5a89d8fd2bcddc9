import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { fixedClock } from "../../../shared/clock.js";
import { runKvStoreCases } from "../store.case.js";
import type { KvStore } from "../store.js";
import { INLINE_VALUE_MAX_BYTES, KV_BLOBS_DIR, KV_DB_FILE, openSqliteKvStore } from "./sqlite.js";

const tempRoots: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-kv-sqlite-"));
  tempRoots.push(dir);
  return path.join(dir, "ns");
}
after(() => {
  for (const dir of tempRoots) fs.rmSync(dir, { recursive: true, force: true });
});

runKvStoreCases("sqlite", async ({ clock }) => {
  const dir = tempDir();
  let current: KvStore = openSqliteKvStore(dir, { clock });
  return {
    store: current,
    reopen: async () => {
      await current.close();
      current = openSqliteKvStore(dir, { clock });
      return current;
    },
    openAnother: async () => openSqliteKvStore(dir, { clock }),
    dispose: async () => {
      await current.close();
    },
  };
});

const enc = new TextEncoder();
const blobFiles = (dir: string) => fs.readdirSync(path.join(dir, KV_BLOBS_DIR)).sort();

describe("sqlite KV driver: files on disk", () => {
  it("creates db.sqlite in WAL mode with the documented schema", async () => {
    const dir = tempDir();
    const store = openSqliteKvStore(dir);
    await store.put({ key: "é", value: enc.encode("v"), metadata: "{}", expiration: 4_000_000_000 });
    await store.close();
    const db = new Database(path.join(dir, KV_DB_FILE), { readonly: true });
    try {
      assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
      assert.equal(db.pragma("user_version", { simple: true }), 1);
      const row = db.prepare("SELECT typeof(key) AS kt, hex(key) AS k, CAST(value AS TEXT) AS v, blob_id, size, expiration, metadata FROM kv_entries").get();
      assert.deepEqual(row, { kt: "blob", k: "C3A9", v: "v", blob_id: null, size: 1, expiration: 4_000_000_000, metadata: "{}" });
    } finally {
      db.close();
    }
  });

  it("keeps values up to the threshold inline and larger ones as blob files, removed when replaced or deleted", async () => {
    const dir = tempDir();
    const store = openSqliteKvStore(dir);
    await store.put({ key: "inline", value: new Uint8Array(INLINE_VALUE_MAX_BYTES) });
    assert.deepEqual(blobFiles(dir), []);
    await store.put({ key: "file", value: new Uint8Array(INLINE_VALUE_MAX_BYTES + 1).fill(9) });
    const [first] = blobFiles(dir);
    assert.match(first!, /^[0-9a-f]{32}$/);
    assert.equal(fs.statSync(path.join(dir, KV_BLOBS_DIR, first!)).size, INLINE_VALUE_MAX_BYTES + 1);
    await store.put({ key: "file", value: new Uint8Array(INLINE_VALUE_MAX_BYTES + 2) });
    const [second] = blobFiles(dir);
    assert.notEqual(second, first, "a replaced blob file is removed after the commit");
    assert.equal(blobFiles(dir).length, 1);
    await store.put({ key: "file", value: enc.encode("small") });
    assert.deepEqual(blobFiles(dir), []);
    await store.put({ key: "file", value: new Uint8Array(INLINE_VALUE_MAX_BYTES + 1) });
    await store.delete("file");
    assert.deepEqual(blobFiles(dir), []);
    await store.close();
  });

  it("removes orphan blobs and dead writers' temp files on open, and keeps referenced blobs", async () => {
    const dir = tempDir();
    let store = openSqliteKvStore(dir);
    const big = new Uint8Array(INLINE_VALUE_MAX_BYTES * 2).fill(3);
    await store.put({ key: "kept", value: big });
    await store.close();
    const blobs = path.join(dir, KV_BLOBS_DIR);
    const [kept] = blobFiles(dir);
    const orphan = "0123456789abcdef0123456789abcdef";
    const deadTemp = ".tmp-999999999-deadbeefdeadbeefdeadbeefdeadbeef";
    const liveTemp = `.tmp-${process.pid}-feedfacefeedfacefeedfacefeedface`;
    for (const name of [orphan, deadTemp, liveTemp]) fs.writeFileSync(path.join(blobs, name), "junk");
    store = openSqliteKvStore(dir);
    assert.deepEqual(blobFiles(dir), [liveTemp, kept!].sort(), "a temp file of a running writer stays");
    assert.ok(Buffer.from((await store.get("kept"))!.value).equals(Buffer.from(big)));
    await store.close();
  });

  it("hides expired rows at once and purges them (and their blobs) lazily", async () => {
    const dir = tempDir();
    const clock = fixedClock(1_700_000_000_000);
    const store = openSqliteKvStore(dir, { clock });
    const at = 1_700_000_000 + 60;
    await store.put({ key: "a", value: new Uint8Array(INLINE_VALUE_MAX_BYTES + 1), expiration: at });
    await store.put({ key: "b", value: enc.encode("small"), expiration: at });
    clock.set(at * 1000 + 60_000);
    assert.deepEqual(await store.list({ limit: 10 }), { keys: [] });
    const db = new Database(path.join(dir, KV_DB_FILE), { readonly: true });
    try {
      assert.equal((db.prepare("SELECT count(*) AS n FROM kv_entries").get() as { n: number }).n, 0);
    } finally {
      db.close();
    }
    assert.deepEqual(blobFiles(dir), []);
    await store.close();
  });

  it("rejects a database written by a newer schema", () => {
    const dir = tempDir();
    fs.mkdirSync(dir, { recursive: true });
    const db = new Database(path.join(dir, KV_DB_FILE));
    db.pragma("user_version = 99");
    db.close();
    assert.throws(() => openSqliteKvStore(dir), /newer Hearth/);
  });

  it("loses no acknowledged write when the writing process is killed", async () => {
    const dir = tempDir();
    const driverUrl = new URL("./sqlite.js", import.meta.url).href;
    // The child writes small and large values forever, printing each key once its put resolved.
    const child = spawn(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `
        const { openSqliteKvStore } = await import(${JSON.stringify(driverUrl)});
        const store = openSqliteKvStore(${JSON.stringify(dir)});
        for (let i = 0; ; i++) {
          const size = i % 3 === 0 ? ${INLINE_VALUE_MAX_BYTES} * 2 + i : 10 + i;
          await store.put({ key: "k" + i, value: new Uint8Array(size).fill(i & 0xff) });
          process.stdout.write("k" + i + " " + size + "\\n");
        }
        `,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    const acknowledged: [string, number][] = [];
    let buffered = "";
    await new Promise<void>((resolve, reject) => {
      child.on("error", reject);
      child.stdout.on("data", (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split("\n");
        buffered = lines.pop()!;
        for (const line of lines) {
          const [key, size] = line.split(" ");
          acknowledged.push([key!, Number(size)]);
        }
        if (acknowledged.length >= 40 && child.exitCode === null && !child.killed) child.kill("SIGKILL");
      });
      child.on("exit", () => resolve());
    });
    assert.ok(acknowledged.length >= 40, `child acknowledged ${acknowledged.length} writes`);
    const store = openSqliteKvStore(dir);
    try {
      for (const [key, size] of acknowledged) {
        const got = await store.get(key);
        assert.ok(got, `${key} was acknowledged and must survive`);
        assert.equal(got.value.byteLength, size);
        assert.equal(got.value[size - 1], Number(key.slice(1)) & 0xff);
      }
      // After the open's sweep, every remaining blob file belongs to a row.
      const db = new Database(path.join(dir, KV_DB_FILE), { readonly: true });
      const referenced = new Set(
        (db.prepare("SELECT blob_id FROM kv_entries WHERE blob_id IS NOT NULL").all() as { blob_id: string }[]).map(
          (r) => r.blob_id,
        ),
      );
      db.close();
      for (const name of blobFiles(dir)) assert.ok(referenced.has(name), `${name} is referenced`);
    } finally {
      await store.close();
    }
  });
});
