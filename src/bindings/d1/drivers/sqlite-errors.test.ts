import assert from "node:assert/strict";
import { describe, it } from "node:test";
import Database from "better-sqlite3";
import { splitStatements } from "../../../shared/sql-text.js";
import { describeSqliteError, formatSqliteMessage } from "./sqlite-errors.js";

describe("formatSqliteMessage", () => {
  it("adds the offset, the primary code and the extended code when it differs", () => {
    assert.equal(formatSqliteMessage("no such table: t", "SQLITE_ERROR"), "no such table: t: SQLITE_ERROR");
    assert.equal(formatSqliteMessage('near "X": syntax error', "SQLITE_ERROR", 4), 'near "X": syntax error at offset 4: SQLITE_ERROR');
    assert.equal(
      formatSqliteMessage("UNIQUE constraint failed: t.id", "SQLITE_CONSTRAINT_PRIMARYKEY"),
      "UNIQUE constraint failed: t.id: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_PRIMARYKEY)",
    );
    assert.equal(formatSqliteMessage("disk I/O error", "SQLITE_IOERR_SHORT_READ"), "disk I/O error: SQLITE_IOERR (extended: SQLITE_IOERR_SHORT_READ)");
    assert.equal(formatSqliteMessage("Wrong number of parameter bindings for SQL query.", undefined), "Wrong number of parameter bindings for SQL query.");
  });
});

describe("describeSqliteError", () => {
  const db = new Database(":memory:");
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)");
  const tryPrepare = (sql: string) => {
    try {
      db.prepare(sql);
      return null;
    } catch (e) {
      return (e as Error).message;
    }
  };
  /** The D1 text for preparing the last statement of `sql`. */
  const prepareError = (sql: string) => {
    const statement = splitStatements(sql).at(-1)!;
    try {
      db.prepare(statement.text);
    } catch (e) {
      return describeSqliteError(e, statement, "prepare", tryPrepare);
    }
    assert.fail(`${sql} prepared`);
  };

  it("locates syntax errors at the token SQLite stopped at", () => {
    assert.equal(prepareError("SELEC * FROM t"), 'near "SELEC": syntax error at offset 0: SQLITE_ERROR');
    assert.equal(prepareError("SELECT * FROM t WHERE id = = 1"), 'near "=": syntax error at offset 27: SQLITE_ERROR');
    assert.equal(prepareError("SELECT id, FROM t"), 'near "FROM": syntax error at offset 11: SQLITE_ERROR');
    assert.equal(prepareError("INSERT INTO t VALUES ("), "incomplete input: SQLITE_ERROR");
  });

  it("locates errors that name a column, function or object", () => {
    assert.equal(prepareError("SELECT id FROM t WHERE nope = 1"), "no such column: nope at offset 23: SQLITE_ERROR");
    assert.equal(prepareError('SELECT t."nope" FROM t'), "no such column: t.nope at offset 7: SQLITE_ERROR");
    assert.equal(prepareError("SELECT nofn(1)"), "no such function: nofn at offset 7: SQLITE_ERROR");
    assert.equal(prepareError("CREATE TABLE t (x)"), "table t already exists at offset 13: SQLITE_ERROR");
    assert.equal(prepareError("UPDATE t SET nope = 1"), "no such column: nope: SQLITE_ERROR", "SET targets carry no offset");
    assert.equal(prepareError("SELECT * FROM nope"), "no such table: nope: SQLITE_ERROR");
  });

  it("counts offsets from where the statement's prepare starts", () => {
    assert.equal(prepareError("SELECT 1; /* note */ SELECT nope"), "no such column: nope at offset 18: SQLITE_ERROR");
  });

  it("passes other errors' messages through", () => {
    const statement = splitStatements("SELECT 1")[0]!;
    assert.equal(describeSqliteError(new RangeError("Too few parameter values were provided"), statement, "run", tryPrepare), "Too few parameter values were provided");
  });
});
