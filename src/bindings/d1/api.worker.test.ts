import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, afterEach, beforeEach, describe, it } from "node:test";
import { createD1Api, d1Error, type D1Database } from "./api.worker.js";
import { openSqliteD1Store } from "./drivers/sqlite.js";
import type { D1Store } from "./store.js";

const tempRoots: string[] = [];
after(() => {
  for (const dir of tempRoots) fs.rmSync(dir, { recursive: true, force: true });
});

let store: D1Store;
let db: D1Database;
beforeEach(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-d1-api-"));
  tempRoots.push(dir);
  store = openSqliteD1Store(dir);
  db = createD1Api(store);
});
afterEach(() => store.close());

/** The error `fn` throws or rejects with. */
async function caught(fn: () => unknown): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    return e as Error;
  }
  assert.fail("expected an error");
}

function assertD1Error(error: Error, message: string, cause = message.replace(/^D1_[A-Z_]+: /, "")): void {
  assert.ok(error instanceof Error);
  assert.equal(error.name, "Error");
  assert.equal(error.message, message);
  assert.equal((error.cause as Error).message, cause);
}

describe("d1Error", () => {
  it("prefixes the message with the kind and keeps the rest as the cause", () => {
    assertD1Error(d1Error("D1_ERROR", "no such table: t: SQLITE_ERROR"), "D1_ERROR: no such table: t: SQLITE_ERROR");
    assertD1Error(d1Error("D1_COLUMN_NOTFOUND", "Column not found (x)", "Column not found"), "D1_COLUMN_NOTFOUND: Column not found (x)", "Column not found");
  });
});

describe("D1PreparedStatement.bind", () => {
  it("returns a new statement each time and converts values as D1 does", async () => {
    const stmt = db.prepare("SELECT ? AS a, typeof(?) AS ta");
    const bound = stmt.bind(true, false);
    assert.notEqual(bound, stmt);
    assert.deepEqual(await bound.first(), { a: 1, ta: "real" });
    assert.deepEqual(await stmt.bind(null, "x").first(), { a: null, ta: "text" });
    const blob = async (value: unknown) => db.prepare("SELECT ? AS b").bind(value).first("b");
    assert.deepEqual(await blob(new Uint8Array([1, 2, 3])), [1, 2, 3]);
    assert.deepEqual(await blob(new Uint8Array([0, 1, 2, 254, 255]).buffer), [0, 1, 2, 254, 255]);
    assert.deepEqual(await blob(new Uint8Array([9, 1, 2, 9]).subarray(1, 3)), [1, 2], "a view binds its own bytes only");
    assert.deepEqual(await blob(new DataView(new Uint8Array([7, 8]).buffer)), [7, 8]);
    assert.deepEqual(await blob([4, 5, 6]), [4, 5, 6], "an array of byte numbers is a BLOB");
  });

  it("keeps the values it was given even if the caller changes them later", async () => {
    const bytes = new Uint8Array([1, 2]);
    const stmt = db.prepare("SELECT ? AS b").bind(bytes);
    bytes.fill(0);
    assert.deepEqual(await stmt.first("b"), [1, 2]);
  });

  it("rejects unsupported values at once with D1_TYPE_ERROR", () => {
    const stmt = db.prepare("SELECT ?");
    const thrown = (value: unknown) => {
      try {
        stmt.bind(value);
      } catch (e) {
        return e as Error;
      }
      assert.fail("bind did not throw");
    };
    assertD1Error(thrown(undefined), "D1_TYPE_ERROR: Type 'undefined' not supported for value 'undefined'");
    assertD1Error(thrown({ a: 1 }), "D1_TYPE_ERROR: Type 'object' not supported for value '[object Object]'");
    assertD1Error(thrown(10n), "D1_TYPE_ERROR: Type 'bigint' not supported for value '10'");
    assertD1Error(thrown([1, 300]), "D1_TYPE_ERROR: Type 'object' not supported for value '1,300'");
    assert.throws(() => stmt.bind(Symbol("s")), TypeError);
  });
});

describe("D1PreparedStatement results", () => {
  beforeEach(async () => {
    await db.batch([
      db.prepare("CREATE TABLE people (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, age INTEGER, photo BLOB)"),
      db.prepare("INSERT INTO people (name, age, photo) VALUES (?1, ?2, ?3)").bind("ada", 36, new Uint8Array([1, 2])),
      db.prepare("INSERT INTO people (name, age) VALUES (?1, ?2)").bind("linus", null),
    ]);
  });

  it("first() gives the first row or null; first(column) its value, or D1_COLUMN_NOTFOUND", async () => {
    assert.deepEqual(await db.prepare("SELECT * FROM people ORDER BY id").first(), { id: 1, name: "ada", age: 36, photo: [1, 2] });
    assert.equal(await db.prepare("SELECT name FROM people WHERE id = ?").bind(2).first("name"), "linus");
    assert.equal(await db.prepare("SELECT age FROM people WHERE id = 2").first("age"), null);
    assert.equal(await db.prepare("SELECT * FROM people WHERE id = 99").first(), null);
    assert.equal(await db.prepare("SELECT * FROM people WHERE id = 99").first("nope"), null, "no row: null even for an unknown column");
    assertD1Error(await caught(() => db.prepare("SELECT name FROM people").first("nope")), "D1_COLUMN_NOTFOUND: Column not found (nope)", "Column not found");
    assertD1Error(await caught(() => db.prepare("SELECT name FROM people").first("toString")), "D1_COLUMN_NOTFOUND: Column not found (toString)", "Column not found");
  });

  it("all() and run() return { success, meta, results }, results always an array", async () => {
    const all = await db.prepare("SELECT id, name FROM people ORDER BY id").all();
    assert.deepEqual(Object.keys(all).sort(), ["meta", "results", "success"]);
    assert.equal(all.success, true);
    assert.deepEqual(all.results, [{ id: 1, name: "ada" }, { id: 2, name: "linus" }]);
    for (const key of ["duration", "changes", "last_row_id", "changed_db", "size_after", "rows_read", "rows_written"]) assert.ok(key in all.meta, key);
    assert.equal(all.meta.last_row_id, 2);
    assert.equal(all.meta.changed_db, false);
    const run = await db.prepare("UPDATE people SET age = 1 WHERE id = ?").bind(2).run();
    assert.deepEqual(run.results, []);
    assert.deepEqual([run.meta.changes, run.meta.changed_db], [1, true]);
    assert.deepEqual((await db.prepare("SELECT name FROM people WHERE id = 1").run()).results, [{ name: "ada" }], "run() on a SELECT still has its rows");
    assert.deepEqual((await db.prepare("SELECT 1 AS x, 2 AS x").all()).results, [{ x: 2 }], "duplicate names: the last value wins");
  });

  it("raw() gives arrays, with the column names first when asked (also without rows)", async () => {
    assert.deepEqual(await db.prepare("SELECT id, photo FROM people ORDER BY id").raw(), [[1, [1, 2]], [2, null]]);
    assert.deepEqual(await db.prepare("SELECT 1 AS x, 2 AS x").raw({ columnNames: true }), [["x", "x"], [1, 2]]);
    assert.deepEqual(await db.prepare("SELECT name FROM people WHERE id < 0").raw({ columnNames: true }), [["name"]]);
    assert.deepEqual(await db.prepare("SELECT name FROM people WHERE id < 0").raw(), []);
  });

  it("reads integers beyond 2^53 as (lossy) numbers, never BigInt", async () => {
    const row = await db.prepare("SELECT 9007199254740993 AS big, CAST(9007199254740993 AS TEXT) AS exact").first<{ big: unknown; exact: string }>();
    assert.deepEqual(row, { big: 9007199254740992, exact: "9007199254740993" });
  });

  it("errors are Errors named Error, D1_ERROR-prefixed, with the SQLite text as cause", async () => {
    assertD1Error(await caught(() => db.prepare("SELEC * FROM people").all()), 'D1_ERROR: near "SELEC": syntax error at offset 0: SQLITE_ERROR');
    assertD1Error(await caught(() => db.prepare("SELECT * FROM missing").first()), "D1_ERROR: no such table: missing: SQLITE_ERROR");
    assertD1Error(await caught(() => db.prepare("SELECT ?1, ?2").bind(1).first()), "D1_ERROR: Wrong number of parameter bindings for SQL query.");
    assertD1Error(await caught(() => db.prepare("").all()), "D1_ERROR: No SQL statements detected.");
  });
});

describe("D1Database.batch", () => {
  it("returns one D1Result per statement and keeps nothing of a failing batch", async () => {
    await db.exec("CREATE TABLE t (v INTEGER UNIQUE)");
    const results = await db.batch([db.prepare("INSERT INTO t VALUES (?)").bind(1), db.prepare("SELECT v FROM t")]);
    assert.deepEqual(results.map((r) => [r.success, r.results]), [[true, []], [true, [{ v: 1 }]]]);
    const error = await caught(() => db.batch([db.prepare("INSERT INTO t VALUES (2)"), db.prepare("INSERT INTO t VALUES (1)")]));
    assertD1Error(error, "D1_ERROR: UNIQUE constraint failed: t.v: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_UNIQUE)");
    assert.deepEqual(await db.prepare("SELECT v FROM t").raw(), [[1]]);
  });

  it("refuses an empty batch, and things that are not statements", async () => {
    assertD1Error(await caught(() => db.batch([])), "D1_ERROR: No SQL statements detected.");
    assert.equal((await caught(() => db.batch([{ statement: "SELECT 1", params: [] } as never]))).name, "TypeError");
  });
});

describe("D1Database.exec", () => {
  it("runs each line as a query and counts them; blank lines are skipped", async () => {
    const r = await db.exec("CREATE TABLE notes (body TEXT);\nINSERT INTO notes VALUES ('one');\n\n-- a comment\nINSERT INTO notes VALUES ('two');\n");
    assert.deepEqual(Object.keys(r).sort(), ["count", "duration"]);
    assert.equal(r.count, 3);
    assert.equal(typeof r.duration, "number");
    assert.equal((await db.exec("SELECT 1; SELECT 2")).count, 1, "one line is one query, whatever it holds");
  });

  it("names the failing line, and keeps nothing of the call", async () => {
    await db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
    const error = await caught(() => db.exec("INSERT INTO notes (body) VALUES ('x');\nINSERT INTO nope VALUES (1);"));
    assertD1Error(error, "D1_EXEC_ERROR: Error in line 2: INSERT INTO nope VALUES (1);: no such table: nope: SQLITE_ERROR");
    assert.deepEqual(await db.prepare("SELECT count(*) AS n FROM notes").first("n"), 0);
    const multiLine = await caught(() => db.exec("CREATE TABLE t (\n  v INTEGER\n);"));
    assert.equal(multiLine.message, "D1_EXEC_ERROR: Error in line 1: CREATE TABLE t (: incomplete input: SQLITE_ERROR", "statements cannot span lines");
    assertD1Error(await caught(() => db.exec("")), "D1_EXEC_ERROR: Error in line 1: : No SQL statements detected.");
  });
});

describe("D1Database.withSession", () => {
  it("starts without a bookmark and keeps the latest one its queries return", async () => {
    const session = db.withSession();
    assert.equal(session.getBookmark(), null);
    await session.prepare("SELECT 1").all();
    const first = session.getBookmark();
    assert.equal(typeof first, "string");
    await session.batch([session.prepare("SELECT 2")]);
    assert.ok(first!.localeCompare(session.getBookmark()!) <= 0);
    assert.equal(db.withSession("first-primary").getBookmark(), null);
    assert.equal(db.withSession("  first-unconstrained ").getBookmark(), null);
    assert.equal(db.withSession(first!).getBookmark(), first, "a bookmark given is the starting point");
    assert.equal("exec" in session, false, "sessions have prepare, batch and getBookmark only");
  });
});

describe("D1Database.dump", () => {
  it("returns the database as a SQLite file image", async () => {
    await db.exec("CREATE TABLE t (v)");
    const image = await db.dump();
    assert.ok(image instanceof ArrayBuffer);
    assert.equal(new TextDecoder().decode(new Uint8Array(image, 0, 15)), "SQLite format 3");
  });
});

describe("a closed store", () => {
  it("makes every query reject with D1_ERROR", async () => {
    await store.close();
    assert.match((await caught(() => db.prepare("SELECT 1").all())).message, /^D1_ERROR: /);
    assert.match((await caught(() => db.dump())).message, /^D1_DUMP_ERROR: /);
  });
});
