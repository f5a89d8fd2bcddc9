import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, it } from "node:test";
import { committedKeys, nextTurn, openTestStorage, tempDir } from "./test-helpers.js";

describe("write coalescing", () => {
  it("commits a write that was never flushed by the end of the event-loop turn", async () => {
    const { storage, file } = openTestStorage();
    await storage.api.put("a", 1);
    assert.deepEqual(committedKeys(file), [], "still pending within the turn");
    await nextTurn();
    assert.deepEqual(committedKeys(file), ["a"]);
  });

  it("commits writes issued without an await between them in one transaction", async () => {
    const { storage, file } = openTestStorage();
    const writes = [storage.api.put("a", 1), storage.api.put("b", 2), storage.api.delete("zzz")];
    storage.api.sql.exec("CREATE TABLE t (v)");
    storage.api.kv.put("c", 3);
    await Promise.all(writes);
    assert.deepEqual(committedKeys(file), []);
    await nextTurn();
    assert.deepEqual(committedKeys(file), ["a", "b", "c"]);
  });

  it("lets reads see writes that are still pending", async () => {
    const { storage, file } = openTestStorage();
    void storage.api.put("a", "pending");
    assert.equal(await storage.api.get("a"), "pending");
    assert.equal(storage.api.kv.get("a"), "pending");
    assert.deepEqual([...(await storage.api.list()).keys()], ["a"]);
    assert.deepEqual(committedKeys(file), []);
  });

  it("flush() commits at once", async () => {
    const { storage, file } = openTestStorage();
    await storage.api.put("a", 1);
    storage.flush();
    assert.deepEqual(committedKeys(file), ["a"]);
    storage.flush(); // nothing pending: a no-op
  });

  it("close() commits what is pending, and reopening finds it", async () => {
    const test = openTestStorage();
    await test.storage.api.put("a", 1);
    test.storage.close();
    test.storage.close(); // idempotent
    test.storage.flush(); // no-op once closed
    const reopened = test.reopen();
    assert.equal(await reopened.api.get("a"), 1);
    reopened.close();
    await assert.rejects(reopened.api.get("a"), /storage has been closed/);
  });

  it("breaks the storage when a commit fails: the batch is rolled back and every later call rethrows", async () => {
    const test = openTestStorage();
    const s = test.storage.api;
    s.sql.exec("CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (p REFERENCES parent(id))");
    test.storage.flush();
    await s.put("doomed", 1);
    s.sql.exec("PRAGMA defer_foreign_keys = ON; INSERT INTO child VALUES (42)"); // checked only at COMMIT
    const message = "FOREIGN KEY constraint failed: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_FOREIGNKEY)";
    assert.throws(() => test.storage.flush(), { name: "Error", message });
    await assert.rejects(s.get("doomed"), { message });
    assert.throws(() => s.sql.exec("SELECT 1"), { message });
    test.storage.close(); // closing a broken storage does not throw
    const reopened = test.reopen();
    assert.equal(await reopened.api.get("doomed"), undefined);
    assert.deepEqual(reopened.api.sql.exec("SELECT * FROM child").toArray(), []);
    reopened.close();
  });

  it("closing while a transaction callback runs drops its writes and fails the callback's later calls", async () => {
    const test = openTestStorage();
    const s = test.storage.api;
    let resume!: () => void;
    const paused = new Promise<void>((resolve) => (resume = resolve));
    const running = s.transaction(async (txn) => {
      await txn.put("inside", 1);
      await paused;
      await txn.put("after close", 1);
    });
    await nextTurn();
    test.storage.close();
    resume();
    await assert.rejects(running, /storage has been closed/);
    const reopened = test.reopen();
    assert.equal((await reopened.api.list()).size, 0);
    reopened.close();
  });

  it("loses nothing flushed when the process is killed", async () => {
    const file = path.join(tempDir(), "crash.sqlite");
    const indexUrl = new URL("./index.js", import.meta.url).href;
    const script = `
      const { openObjectStorage } = await import(${JSON.stringify(indexUrl)});
      const storage = openObjectStorage({ file: ${JSON.stringify(file)}, sqlite: true });
      for (let i = 0; i < 20; i++) {
        await storage.api.put("key" + String(i).padStart(2, "0"), { i });
        storage.api.sql.exec("CREATE TABLE IF NOT EXISTS log (i); INSERT INTO log VALUES (" + i + ")");
        storage.flush();
        process.stdout.write(i + "\\n");
      }
      process.stdout.write("done\\n");
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("done")) resolve();
      });
      child.on("exit", (code) => reject(new Error(`child exited early (${code}): ${output}`)));
    });
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    const acknowledged = output.split("\n").filter((line) => /^\d+$/.test(line)).length;
    assert.equal(acknowledged, 20);
    const { storage } = openTestStorage({ file });
    const stored = await storage.api.list({ prefix: "key" });
    assert.equal(stored.size, 20);
    assert.deepEqual(stored.get("key19"), { i: 19 });
    assert.equal(storage.api.sql.exec("SELECT count(*) AS n FROM log").one().n, 20);
    storage.close();
  });
});
