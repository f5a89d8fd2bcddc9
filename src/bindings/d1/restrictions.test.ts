import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkStatement, D1_TRANSACTION_MESSAGE } from "./restrictions.js";
import { splitStatements } from "../../shared/sql-text.js";

const check = (sql: string) => checkStatement(splitStatements(sql)[0]!);
const NOT_AUTHORIZED = { message: "not authorized", code: "SQLITE_AUTH" };

describe("checkStatement", () => {
  it("lets ordinary SQL through", () => {
    for (const sql of [
      "SELECT * FROM t",
      "CREATE TABLE t (id INTEGER PRIMARY KEY)",
      "INSERT INTO t VALUES (1) RETURNING *",
      "WITH x AS (SELECT 1) SELECT * FROM x",
      "CREATE VIRTUAL TABLE docs USING fts5(body)",
      "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END",
      "SELECT '_cf_KV' AS literal_is_fine",
      "EXPLAIN QUERY PLAN SELECT * FROM t",
    ]) {
      assert.equal(check(sql), null, sql);
    }
  });

  it("refuses SQL transactions with workerd's message", () => {
    for (const sql of ["BEGIN", "begin immediate", "COMMIT", "END TRANSACTION", "ROLLBACK", "SAVEPOINT a", "RELEASE a", "ROLLBACK TO a"]) {
      assert.deepEqual(check(sql), { message: D1_TRANSACTION_MESSAGE }, sql);
    }
    assert.match(D1_TRANSACTION_MESSAGE, /^To execute a transaction, please use the state\.storage\.transaction\(\) or state\.storage\.transactionSync\(\) APIs/);
  });

  it("refuses ATTACH, temporary objects, other virtual tables and _cf_ names", () => {
    for (const sql of [
      "ATTACH DATABASE 'x' AS x",
      "DETACH DATABASE x",
      "CREATE TEMP TABLE x (v)",
      "CREATE TEMPORARY VIEW v AS SELECT 1",
      "CREATE VIRTUAL TABLE r USING rtree(id, a, b)",
      "SELECT * FROM _cf_KV",
      'DROP TABLE "_cf_METADATA"',
    ]) {
      assert.deepEqual(check(sql), NOT_AUTHORIZED, sql);
    }
  });

  it("allows D1's PRAGMAs in the forms D1 allows", () => {
    for (const sql of [
      "PRAGMA foreign_keys",
      "PRAGMA foreign_keys = off",
      "PRAGMA defer_foreign_keys = 'true'",
      "pragma main.recursive_triggers(1)",
      "PRAGMA table_list",
      "PRAGMA table_list(t)",
      "PRAGMA table_info(t)",
      'PRAGMA table_xinfo("t")',
      "PRAGMA index_list = t",
      "PRAGMA foreign_key_check",
      "PRAGMA quick_check",
      "PRAGMA optimize",
      "PRAGMA data_version",
    ]) {
      assert.equal(check(sql), null, sql);
    }
    for (const sql of [
      "PRAGMA journal_mode = DELETE",
      "PRAGMA synchronous",
      "PRAGMA user_version = 3",
      "PRAGMA foreign_keys = sometimes",
      "PRAGMA table_info",
      "PRAGMA table_info(_cf_KV)",
      "PRAGMA data_version = 1",
      "PRAGMA temp.foreign_keys",
    ]) {
      assert.deepEqual(check(sql), NOT_AUTHORIZED, sql);
    }
  });

  it("refuses the functions that reveal the SQLite build, pointing at the call", () => {
    const violation = check("SELECT sqlite_version()");
    assert.equal(violation?.message, "not authorized to use function: sqlite_version");
    assert.equal(violation?.code, "SQLITE_AUTH");
    assert.equal(violation?.token?.start, 7);
  });
});
