import assert from "node:assert/strict";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, it } from "node:test";
import type Database from "better-sqlite3";
import * as storageModule from "./index.js";
import { openTestStorage, tempDir } from "./test-helpers.js";

describe("storage/index.ts", () => {
  it("exports exactly its public surface", () => {
    assert.deepEqual(Object.keys(storageModule).sort(), ["DO_STORAGE_LIMITS_DOCS_URL", "openObjectStorage"]);
  });

  it("keeps KV data, SQL tables and the alarm across close and reopen", async () => {
    const test = openTestStorage();
    const s = test.storage.api;
    await s.put("count", 2);
    s.sql.exec("CREATE TABLE events (id INTEGER PRIMARY KEY, what TEXT); INSERT INTO events (what) VALUES ('before')");
    s.kv.put("last", "before");
    await s.setAlarm(Date.now() + 60_000);
    const alarm = await s.getAlarm();
    test.storage.close();

    const reopened = test.reopen();
    assert.equal(await reopened.api.get("count"), 2);
    assert.equal(reopened.api.kv.get("last"), "before");
    assert.deepEqual(reopened.api.sql.exec("SELECT what FROM events").toArray(), [{ what: "before" }]);
    assert.equal(reopened.alarmTime(), alarm);
    reopened.close();
  });

  it("keeps objects in different files apart", async () => {
    const dir = tempDir();
    const a = storageModule.openObjectStorage({ file: path.join(dir, "a.sqlite"), sqlite: false });
    const b = storageModule.openObjectStorage({ file: path.join(dir, "b.sqlite"), sqlite: false });
    await a.api.put("k", "a");
    assert.equal(await b.api.get("k"), undefined);
    a.close();
    b.close();
  });

  it("refuses a database written by a newer Hearth instead of rewriting it", () => {
    const file = path.join(tempDir(), "future.sqlite");
    const Sqlite = createRequire(import.meta.url)("better-sqlite3") as typeof Database;
    const db = new Sqlite(file);
    db.pragma("user_version = 99");
    db.close();
    assert.throws(() => storageModule.openObjectStorage({ file, sqlite: true }), /written by a newer Hearth \(Durable Object schema version 99/);
  });

  it("hides its machinery from user code: only the API's methods are reachable", () => {
    const { storage } = openTestStorage();
    assert.deepEqual(Object.keys(storage.api), []);
    assert.equal(storage.api.constructor.name, "DurableObjectStorage");
  });
});
