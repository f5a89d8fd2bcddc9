import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { failure, openTestStorage } from "./test-helpers.js";

type Sql = ReturnType<typeof openTestStorage>["storage"]["api"]["sql"];

const error = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message };
  }
  return "no error";
};

function usersTable(): Sql {
  const sql = openTestStorage().storage.api.sql;
  sql.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, score REAL, avatar BLOB)");
  sql.exec("INSERT INTO users (name, score) VALUES (?, ?), (?, ?), (?, ?)", "ann", 1.5, "bob", 2, "cy", null);
  return sql;
}

describe("sql.exec: cursors", () => {
  let sql: Sql;
  before(() => {
    sql = usersTable();
  });

  it("counts rows written by an INSERT and rows read by a SELECT", () => {
    const insert = openTestStorage().storage.api.sql;
    insert.exec("CREATE TABLE t (v)");
    const c = insert.exec("INSERT INTO t VALUES (?), (?), (?)", 1, 2, 3);
    assert.deepEqual(c.toArray(), []);
    assert.deepEqual([c.rowsWritten, c.rowsRead], [3, 0]);
    const read = sql.exec("SELECT id, name, score FROM users ORDER BY id");
    assert.deepEqual(read.toArray(), [
      { id: 1, name: "ann", score: 1.5 },
      { id: 2, name: "bob", score: 2 },
      { id: 3, name: "cy", score: null },
    ]);
    assert.deepEqual(read.columnNames, ["id", "name", "score"]);
    assert.deepEqual([read.rowsRead, read.rowsWritten], [3, 0]);
  });

  it("one() returns the only row, or throws for none and for several", () => {
    assert.deepEqual(sql.exec("SELECT name FROM users WHERE id = ?", 2).one(), { name: "bob" });
    assert.deepEqual(error(() => sql.exec("SELECT name FROM users WHERE id = ?", 99).one()), {
      name: "Error",
      message: "Expected exactly one result from SQL query, but got no results.",
    });
    assert.deepEqual(error(() => sql.exec("SELECT name FROM users").one()), {
      name: "Error",
      message: "Expected exactly one result from SQL query, but got multiple results.",
    });
  });

  it("next(), iteration, toArray() and raw() share one position", () => {
    assert.deepEqual([...sql.exec("SELECT name FROM users ORDER BY name")].map((r) => r.name), ["ann", "bob", "cy"]);
    const c = sql.exec("SELECT id FROM users ORDER BY id");
    assert.deepEqual(c.next(), { done: false, value: { id: 1 } });
    assert.deepEqual(c.raw().next().value, [2]);
    assert.deepEqual(c.toArray(), [{ id: 3 }]);
    assert.deepEqual(c.next(), { done: true });
    const r = sql.exec("SELECT id, name FROM users ORDER BY id DESC");
    assert.deepEqual([...r.raw()], [[3, "cy"], [2, "bob"], [1, "ann"]]);
    assert.deepEqual(r.columnNames, ["id", "name"]);
    assert.equal(sql.Cursor, r.constructor);
  });

  it("binds and returns BLOBs as ArrayBuffer, numbers as REAL, and loses precision beyond 2^53", () => {
    sql.exec("UPDATE users SET avatar = ? WHERE id = 1", new Uint8Array([1, 2, 3]).buffer);
    sql.exec("UPDATE users SET avatar = ? WHERE id = 2", new Uint8Array([0, 9, 8, 7]).subarray(1));
    const rows = sql.exec("SELECT avatar, typeof(avatar) AS t, length(avatar) AS len FROM users WHERE id <= 2 ORDER BY id").toArray();
    assert.ok(rows[0]!.avatar instanceof ArrayBuffer);
    assert.deepEqual([...new Uint8Array(rows[0]!.avatar as ArrayBuffer)], [1, 2, 3]);
    assert.deepEqual([...new Uint8Array(rows[1]!.avatar as ArrayBuffer)], [9, 8, 7]);
    assert.deepEqual([rows[0]!.t, rows[0]!.len], ["blob", 3]);
    assert.deepEqual(
      sql.exec("SELECT 1 AS i, 1.25 AS f, 'x' AS s, NULL AS n, typeof(?) AS bi, typeof(?) AS bf, typeof(?) AS bn, 9007199254740993 AS big", 7, 7.5, undefined).one(),
      { i: 1, f: 1.25, s: "x", n: null, bi: "real", bf: "real", bn: "null", big: 9007199254740992 },
    );
    assert.deepEqual(sql.exec("SELECT ? AS b, typeof(?) AS t", true, 5n).one(), { b: "true", t: "text" });
  });

  it("binds positional values to named and numbered placeholders in SQLite's slot order", () => {
    assert.deepEqual(sql.exec("SELECT :a AS a, ? AS b, :a AS c, ?5 AS e", 1, 2, 3, 4, 5).one(), { a: 1, b: 2, c: 1, e: 5 });
  });

  it("reports rows written by UPDATE and DELETE", () => {
    const s = usersTable();
    const u = s.exec("UPDATE users SET score = score * 2 WHERE score IS NOT NULL");
    const d = s.exec("DELETE FROM users WHERE name = 'cy'");
    assert.deepEqual([u.rowsWritten, d.rowsWritten], [2, 1]);
    assert.deepEqual(s.exec("SELECT name, score FROM users ORDER BY id").toArray(), [
      { name: "ann", score: 3 },
      { name: "bob", score: 4 },
    ]);
    const returning = s.exec("INSERT INTO users (name) VALUES ('dee'), ('eve') RETURNING id");
    assert.deepEqual([returning.toArray(), returning.rowsWritten], [[{ id: 3 }, { id: 4 }], 2]);
  });

  it("runs several statements and returns the cursor of the last; only the last may have parameters", () => {
    const s = openTestStorage().storage.api.sql;
    const c = s.exec("CREATE TABLE t2 (v INTEGER); INSERT INTO t2 VALUES (1); INSERT INTO t2 VALUES (2); SELECT sum(v) AS total FROM t2");
    assert.deepEqual(c.toArray(), [{ total: 3 }]);
    assert.deepEqual(s.exec("SELECT 1; SELECT ? AS x;", 5).one(), { x: 5 });
    assert.deepEqual(error(() => s.exec("SELECT ?; SELECT 1", 1)), {
      name: "Error",
      message: "When executing multiple SQL statements in a single call, only the last statement can have parameters.",
    });
    s.exec("CREATE TABLE log (v); CREATE TRIGGER t2_log AFTER INSERT ON t2 BEGIN INSERT INTO log VALUES (new.v); END; INSERT INTO t2 VALUES (7)");
    assert.deepEqual(s.exec("SELECT v FROM log").toArray(), [{ v: 7 }]);
  });

  it("reports the size of the database in whole pages", () => {
    const size = sql.databaseSize;
    assert.ok(size > 0 && size % 4096 === 0, String(size));
  });
});

describe("sql.exec: errors", () => {
  const sql = usersTable();
  const cases: [string, () => unknown, string][] = [
    ["syntax", () => sql.exec("SELEKT 1"), 'near "SELEKT": syntax error at offset 0: SQLITE_ERROR'],
    ["syntax, later token", () => sql.exec("SELECT 1 1"), 'near "1": syntax error at offset 9: SQLITE_ERROR'],
    ["syntax, second statement", () => sql.exec("SELECT 1;\n  SELECT  FROM users"), 'near "FROM": syntax error at offset 8: SQLITE_ERROR'],
    ["missing table", () => sql.exec("SELECT * FROM nope"), "no such table: nope: SQLITE_ERROR"],
    ["missing column", () => sql.exec("SELECT nocol FROM users"), "no such column: nocol at offset 7: SQLITE_ERROR"],
    ["existing table", () => sql.exec("CREATE TABLE users (x)"), "table users already exists at offset 13: SQLITE_ERROR"],
    [
      "unique",
      () => sql.exec("INSERT INTO users (id, name) VALUES (1, 'dup')"),
      "UNIQUE constraint failed: users.id: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_PRIMARYKEY)",
    ],
    [
      "not null",
      () => sql.exec("INSERT INTO users (name) VALUES (NULL)"),
      "NOT NULL constraint failed: users.name: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_NOTNULL)",
    ],
    ["too few bindings", () => sql.exec("SELECT ?, ?", 1), "Wrong number of parameter bindings for SQL query."],
    ["too many bindings", () => sql.exec("SELECT ?", 1, 2), "Wrong number of parameter bindings for SQL query."],
    ["no statement", () => sql.exec(" ; -- nothing"), "SQL code did not contain a statement."],
  ];
  for (const [name, fn, message] of cases) {
    it(name, () => assert.deepEqual(error(fn), { name: "Error", message }));
  }

  it("rejects transaction statements, pointing to the JavaScript API", () => {
    for (const statement of ["BEGIN TRANSACTION", "COMMIT", "ROLLBACK", "SAVEPOINT sp", "RELEASE sp", "END"]) {
      assert.match((error(() => sql.exec(statement)) as Error).message, /^To execute a transaction, please use the state\.storage\.transaction\(\)/);
    }
  });

  it("keeps user SQL away from Hearth's tables, attached databases, temp tables and unlisted PRAGMAs", () => {
    const denied = { name: "Error", message: "not authorized: SQLITE_AUTH" };
    for (const statement of [
      "SELECT * FROM _cf_KV",
      'DELETE FROM "_CF_metadata"',
      "DROP TABLE _cf_KV",
      "CREATE TABLE _cf_mine (x)",
      "ATTACH DATABASE 'x.db' AS x",
      "CREATE TEMP TABLE scratch (x)",
      "PRAGMA journal_mode = DELETE",
      "PRAGMA user_version = 9",
      "PRAGMA table_info(_cf_KV)",
      "PRAGMA data_version = 1",
    ]) {
      assert.deepEqual(error(() => sql.exec(statement)), denied, statement);
    }
    for (const statement of ["PRAGMA table_info(users)", "PRAGMA foreign_keys", "PRAGMA defer_foreign_keys = on", "PRAGMA table_list", "PRAGMA data_version"]) {
      assert.doesNotThrow(() => sql.exec(statement).toArray(), statement);
    }
    assert.ok(sql.exec("SELECT name FROM sqlite_master WHERE name = '_cf_KV'").toArray().length === 1, "listed, as on Cloudflare");
  });
});

describe("ctx.storage.kv (synchronous KV API)", () => {
  it("shares the async API's data", async () => {
    const s = openTestStorage().storage.api;
    s.kv.put("kvkey", { v: 1 });
    assert.deepEqual(s.kv.get("kvkey"), { v: 1 });
    assert.deepEqual(await s.get("kvkey"), { v: 1 });
    await s.put({ a: 1, b: 2, c: 3 });
    assert.deepEqual([...s.kv.list({ start: "b", reverse: true })], [["kvkey", { v: 1 }], ["c", 3], ["b", 2]]);
    assert.deepEqual([...s.kv.list({ prefix: "zz" })], []);
    assert.equal(s.kv.delete("a"), true);
    assert.equal(s.kv.delete("a"), false);
    assert.equal(s.kv.get("a"), undefined);
    s.kv.put("u", undefined);
    assert.equal(s.kv.get("u"), undefined);
    assert.deepEqual([...s.kv.list({ prefix: "u" })], [["u", undefined]]);
    assert.throws(() => s.kv.list({ limit: 0 }), { name: "TypeError", message: "List limit must be positive." });
  });
});

describe("KV-backed classes", () => {
  it("have no SQL API and no synchronous KV API", async () => {
    const s = openTestStorage({ sqlite: false }).storage.api;
    const sqlError = error(() => s.sql.exec("SELECT 1")) as Error;
    assert.equal(sqlError.name, "Error");
    assert.ok(sqlError.message.startsWith("SQL is not enabled for this Durable Object class. To enable it,"));
    assert.deepEqual(error(() => s.kv.get("a")), { name: "Error", message: "Durable Object is not backed by SQL." });
    assert.equal(await failure(() => s.put("still", "works")), "ok");
  });
});
