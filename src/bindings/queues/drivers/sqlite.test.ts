import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { runQueueStoreCases } from "../store.case.js";
import type { QueueStore } from "../store.js";
import { openSqliteQueueStore, QUEUE_DB_FILE } from "./sqlite.js";

const tempRoots: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-queue-sqlite-"));
  tempRoots.push(dir);
  return path.join(dir, "queue");
}
after(() => {
  for (const dir of tempRoots) fs.rmSync(dir, { recursive: true, force: true });
});

runQueueStoreCases("sqlite", async ({ clock }) => {
  const dir = tempDir();
  let current: QueueStore = openSqliteQueueStore(dir, { clock });
  return {
    store: current,
    reopen: async () => {
      await current.close();
      current = openSqliteQueueStore(dir, { clock });
      return current;
    },
    openAnother: async () => openSqliteQueueStore(dir, { clock }),
    dispose: async () => {
      await current.close();
    },
  };
});

describe("sqlite queue driver: files on disk", () => {
  it("creates db.sqlite in WAL mode with the documented schema", async () => {
    const dir = tempDir();
    const store = openSqliteQueueStore(dir);
    await store.enqueue([{ body: new TextEncoder().encode('"hi"'), contentType: "json", delaySeconds: 2 }]);
    await store.close();
    const db = new Database(path.join(dir, QUEUE_DB_FILE), { readonly: true });
    try {
      assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
      assert.equal(db.pragma("user_version", { simple: true }), 1);
      const row = db.prepare("SELECT length(id) AS idLength, content_type, CAST(body AS TEXT) AS body, visible_ms - timestamp_ms AS delay, attempts, lease_owner FROM queue_messages").get();
      assert.deepEqual(row, { idLength: 32, content_type: "json", body: '"hi"', delay: 2000, attempts: 0, lease_owner: null });
    } finally {
      db.close();
    }
  });

  it("refuses a database written by a newer Hearth", async () => {
    const dir = tempDir();
    await openSqliteQueueStore(dir).close();
    const db = new Database(path.join(dir, QUEUE_DB_FILE));
    db.pragma("user_version = 99");
    db.close();
    assert.throws(() => openSqliteQueueStore(dir), /newer Hearth \(queue schema version 99/);
  });
});
