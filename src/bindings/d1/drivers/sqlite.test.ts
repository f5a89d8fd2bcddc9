import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { runD1StoreCases } from "../store.case.js";
import type { D1Store } from "../store.js";
import { D1_DB_FILE, openSqliteD1Store } from "./sqlite.js";

const tempRoots: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-d1-sqlite-"));
  tempRoots.push(dir);
  return path.join(dir, "db");
}
after(() => {
  for (const dir of tempRoots) fs.rmSync(dir, { recursive: true, force: true });
});

runD1StoreCases("sqlite", async ({ clock }) => {
  const dir = tempDir();
  let current: D1Store = openSqliteD1Store(dir, { clock });
  return {
    store: current,
    reopen: async () => {
      await current.close();
      current = openSqliteD1Store(dir, { clock });
      return current;
    },
    openAnother: async () => openSqliteD1Store(dir, { clock }),
    dispose: async () => {
      await current.close();
    },
  };
});

describe("sqlite D1 driver", () => {
  it("keeps the user's database as one plain SQLite file in WAL mode, with no tables of its own", async () => {
    const dir = tempDir();
    const store = openSqliteD1Store(dir);
    const outcome = await store.batch([{ sql: "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hi')", params: [] }]);
    assert.ok(outcome.ok);
    await store.close();
    const db = new Database(path.join(dir, D1_DB_FILE), { readonly: true });
    try {
      assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
      assert.deepEqual(db.prepare("SELECT name FROM sqlite_master ORDER BY name").pluck().all(), ["notes"]);
      assert.deepEqual(db.prepare("SELECT body FROM notes").pluck().all(), ["hi"]);
    } finally {
      db.close();
    }
  });

  it("a batch interrupted by SIGKILL is either all there or not at all", async () => {
    const dir = tempDir();
    const setup = openSqliteD1Store(dir);
    assert.ok((await setup.batch([{ sql: "CREATE TABLE rows (batch INTEGER, i INTEGER)", params: [] }])).ok);
    await setup.close();
    // A child process writes batches of 200 rows in a loop and reports each acknowledged batch.
    const driver = new URL("./sqlite.js", import.meta.url).href;
    const script = `
      const { openSqliteD1Store } = await import(${JSON.stringify(driver)});
      const store = openSqliteD1Store(${JSON.stringify(dir)});
      for (let b = 0; ; b++) {
        const queries = Array.from({ length: 200 }, (_, i) => ({ sql: "INSERT INTO rows VALUES (?, ?)", params: [b, i] }));
        const outcome = await store.batch(queries);
        if (!outcome.ok) throw new Error(outcome.error);
        process.stdout.write(b + "\\n");
      }
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    let acknowledged = -1;
    let buffered = "";
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) acknowledged = Number(line);
    });
    let exitCode: number | null | undefined;
    const exited = new Promise((resolve) => child.once("exit", (code) => resolve((exitCode = code))));
    while (acknowledged < 20 && exitCode === undefined) await new Promise((r) => setTimeout(r, 10));
    assert.equal(exitCode, undefined, "the writer was still running when it was killed");
    child.kill("SIGKILL");
    await exited;

    const db = new Database(path.join(dir, D1_DB_FILE));
    try {
      assert.equal(db.pragma("integrity_check", { simple: true }), "ok");
      const counts = db.prepare("SELECT batch, count(*) AS n FROM rows GROUP BY batch ORDER BY batch").all() as { batch: number; n: number }[];
      for (const { batch, n } of counts) assert.equal(n, 200, `batch ${batch} has ${n} of its 200 rows`);
      assert.ok(counts.length >= acknowledged + 1, "every acknowledged batch survived");
    } finally {
      db.close();
    }
  });
});

describe("sqlite D1 driver: group commit", () => {
  const insert = (v: number) => ({ sql: "INSERT INTO t (v) VALUES (?)", params: [v] });

  it("commits the write batches of one turn in one transaction, acknowledging each only after the commit", async () => {
    const dir = tempDir();
    const store = openSqliteD1Store(dir);
    await store.batch([{ sql: "CREATE TABLE t (v INTEGER UNIQUE)", params: [] }]);
    const reader = new Database(path.join(dir, D1_DB_FILE), { readonly: true });
    const seenAtAck: number[] = [];
    const writes = [1, 2, 3, 4, 5].map((v) =>
      store.batch([insert(v)]).then((outcome) => {
        assert.equal(outcome.ok, true);
        // Another connection sees the row as soon as the write is acknowledged: it is committed.
        seenAtAck.push(reader.prepare("SELECT count(*) AS n FROM t WHERE v = ?").pluck().get(v) as number);
      }),
    );
    // Before the turn ends nothing is committed, so another connection sees none of them.
    assert.equal(reader.prepare("SELECT count(*) FROM t").pluck().get(), 0);
    await Promise.all(writes);
    assert.deepEqual(seenAtAck, [1, 1, 1, 1, 1]);
    reader.close();
    await store.close();
  });

  it("undoes only the failing batch of a group, and keeps the others", async () => {
    const store = openSqliteD1Store(tempDir());
    await store.batch([{ sql: "CREATE TABLE t (v INTEGER UNIQUE)", params: [] }]);
    const outcomes = await Promise.all([store.batch([insert(1)]), store.batch([insert(2), insert(1)]), store.batch([insert(3)])]);
    assert.deepEqual(outcomes.map((o) => o.ok), [true, false, true]);
    const all = await store.batch([{ sql: "SELECT v FROM t ORDER BY v", params: [] }]);
    assert.ok(all.ok);
    assert.deepEqual(all.results[0]!.rows, [[1], [3]], "the failed batch's first insert (2) is rolled back too");
    await store.close();
  });

  it("lets two connections of one thread write the same file in one turn, and runs PRAGMA and VACUUM outside the group", async () => {
    const dir = tempDir();
    const one = openSqliteD1Store(dir);
    const two = openSqliteD1Store(dir);
    await one.batch([{ sql: "CREATE TABLE t (v INTEGER)", params: [] }]);
    const started = Date.now();
    const outcomes = await Promise.all([one.batch([insert(1)]), two.batch([insert(2)]), one.batch([insert(3)]), two.batch([{ sql: "VACUUM", params: [] }])]);
    assert.deepEqual(outcomes.map((o) => o.ok), [true, true, true, true]);
    assert.ok(Date.now() - started < 2_000, "no connection waited for the other's lock");
    const all = await two.batch([{ sql: "SELECT v FROM t ORDER BY v", params: [] }]);
    assert.ok(all.ok);
    assert.deepEqual(all.results[0]!.rows, [[1], [2], [3]]);
    await Promise.all([one.close(), two.close()]);
  });
});
