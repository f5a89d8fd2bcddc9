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
