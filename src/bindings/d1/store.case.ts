/**
 * The conformance suite every D1Store driver runs (see store.ts for the contract it checks).
 * A driver's test file calls `runD1StoreCases(name, factory)`; a case the driver cannot pass is
 * listed in `skip` with the reason.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { fixedClock } from "../../shared/clock.js";
import type { D1BatchOutcome, D1Query, D1QueryResult, D1Store, D1Value } from "./store.js";

export interface D1StoreUnderTest {
  store: D1Store;
  /** Closes `store` and opens a new one on the same data. Omit for drivers whose data dies with the handle. */
  reopen?: () => Promise<D1Store>;
  /** Opens a second, independent handle on the same data. Optional. */
  openAnother?: () => Promise<D1Store>;
  /** Removes everything the factory created. */
  dispose: () => Promise<void>;
}

export type D1StoreFactory = (options: { clock: ReturnType<typeof fixedClock> }) => Promise<D1StoreUnderTest>;

export type D1StoreCaseName = (typeof CASE_NAMES)[number];

const CASE_NAMES = [
  "empty input",
  "rows and columns",
  "value round trip",
  "integers beyond 2^53",
  "placeholders",
  "parameter count",
  "several statements in one query",
  "batch is atomic",
  "error text",
  "meta",
  "d1 restrictions",
  "limits",
  "json and fts5",
  "bookmarks",
  "progress",
  "dump",
  "persistence",
  "second handle",
  "close",
] as const;

const START_MS = 1_700_000_000_000;
const q = (sql: string, ...params: D1Value[]): D1Query => ({ sql, params });

export function runD1StoreCases(
  driverName: string,
  factory: D1StoreFactory,
  options: { skip?: Partial<Record<D1StoreCaseName, string>> } = {},
): void {
  describe(`D1Store conformance: ${driverName}`, () => {
    let t: D1StoreUnderTest;
    let store: D1Store;
    let clock: ReturnType<typeof fixedClock>;
    let n = 0;
    /** A table name unique to the running case, so cases share one database without interfering. */
    let tb = "";

    before(async () => {
      clock = fixedClock(START_MS);
      t = await factory({ clock });
      store = t.store;
    });
    after(async () => {
      await store.close();
      await t.dispose();
    });

    const test = (name: D1StoreCaseName, fn: () => Promise<void>) => {
      const skip = options.skip?.[name];
      it(name, skip ? { skip } : {}, async () => {
        tb = `t${++n}`;
        clock.set(START_MS);
        await fn();
      });
    };

    /** Runs queries and asserts they succeed. */
    const ok = async (...queries: D1Query[]): Promise<D1QueryResult[]> => {
      const outcome = await store.batch(queries);
      assert.ok(outcome.ok, `expected success, got ${JSON.stringify(outcome)}`);
      return outcome.results;
    };
    const one = async (sql: string, ...params: D1Value[]) => (await ok(q(sql, ...params)))[0]!;
    /** Runs queries and returns the failure. */
    const fails = async (...queries: D1Query[]): Promise<Extract<D1BatchOutcome, { ok: false }>> => {
      const outcome = await store.batch(queries);
      assert.equal(outcome.ok, false, `expected a failure, got ${JSON.stringify(outcome)}`);
      return outcome as Extract<D1BatchOutcome, { ok: false }>;
    };

    test("empty input", async () => {
      assert.deepEqual(await store.batch([]), { ok: false, error: "No SQL statements detected." });
      assert.deepEqual(await fails(q("  -- only a comment\n ; ;")), { ok: false, error: "No SQL statements detected.", index: 0 });
      assert.deepEqual(await fails(q("SELECT 1"), q("")), { ok: false, error: "No SQL statements detected.", index: 1 });
    });

    test("rows and columns", async () => {
      await one(`CREATE TABLE ${tb} (id INTEGER PRIMARY KEY, name TEXT)`);
      await one(`INSERT INTO ${tb} (name) VALUES ('a'), ('b')`);
      const r = await one(`SELECT id, name FROM ${tb} ORDER BY id`);
      assert.deepEqual(r.columns, ["id", "name"]);
      assert.deepEqual(r.rows, [[1, "a"], [2, "b"]]);
      assert.deepEqual((await one("SELECT 1 AS x, 2 AS x")).columns, ["x", "x"], "duplicate names are kept");
      const empty = await one(`SELECT id FROM ${tb} WHERE id < 0`);
      assert.deepEqual([empty.columns, empty.rows], [["id"], []]);
      const write = await one(`UPDATE ${tb} SET name = 'c' WHERE id = 1`);
      assert.deepEqual([write.columns, write.rows], [[], []]);
      const returning = await one(`DELETE FROM ${tb} WHERE id = 2 RETURNING name`);
      assert.deepEqual(returning.rows, [["b"]]);
    });

    test("value round trip", async () => {
      await one(`CREATE TABLE ${tb} (v ANY) STRICT`);
      const blob = new Uint8Array([0, 1, 2, 254, 255]);
      const values: D1Value[] = [null, "héllo ✓ 😀", "", 1.5, -7, 0, blob, new Uint8Array(0)];
      for (const v of values) await one(`INSERT INTO ${tb} VALUES (?)`, v);
      blob.fill(9); // the caller's buffer changes after the write
      const r = await one(`SELECT v, typeof(v) FROM ${tb} ORDER BY rowid`);
      assert.deepEqual(
        r.rows.map((row) => row[1]),
        ["null", "text", "text", "real", "real", "real", "blob", "blob"],
        "every JavaScript number binds as REAL, as D1 binds it",
      );
      assert.deepEqual(r.rows.slice(0, 6).map((row) => row[0]), [null, "héllo ✓ 😀", "", 1.5, -7, 0]);
      const got = r.rows[6]![0] as Uint8Array;
      assert.deepEqual([...got], [0, 1, 2, 254, 255]);
      assert.equal(Object.getPrototypeOf(got), Uint8Array.prototype, "a plain Uint8Array, not a Buffer");
      assert.deepEqual([...(r.rows[7]![0] as Uint8Array)], []);
      assert.deepEqual((await one("SELECT ? = 42, 42.0 AS w, 3 AS i", 42)).rows, [[1, 42, 3]]);
      assert.deepEqual((await one("SELECT ?, ?", Number.NaN, Number.POSITIVE_INFINITY)).rows, [[null, null]], "non-finite numbers bind as NULL");
      assert.deepEqual((await one("SELECT hex(?)", new Uint8Array([10, 20, 30]))).rows, [["0A141E"]]);
    });

    test("integers beyond 2^53", async () => {
      await one(`CREATE TABLE ${tb} (n INTEGER)`);
      await one(`INSERT INTO ${tb} VALUES (9007199254740993), (-9223372036854775808), (9223372036854775807)`);
      const r = await one(`SELECT n, CAST(n AS TEXT), typeof(n) FROM ${tb} ORDER BY rowid`);
      assert.deepEqual(r.rows, [
        [9007199254740992, "9007199254740993", "integer"],
        [-9223372036854775808, "-9223372036854775808", "integer"],
        [9223372036854775807, "9223372036854775807", "integer"],
      ], "read back as lossy numbers (as D1 returns them); stored exactly");
      assert.deepEqual((await one(`SELECT count(*) FROM ${tb} WHERE n = 9007199254740993`)).rows, [[1]]);
    });

    test("placeholders", async () => {
      assert.deepEqual((await one("SELECT ?2, ?1, ?2 || ?1", "a", "b")).rows, [["b", "a", "ba"]]);
      assert.deepEqual((await one("SELECT ?, ?, ?", 1, "two", 3.5)).rows, [[1, "two", 3.5]]);
      assert.deepEqual((await one("SELECT ?3", "x", "y", "z")).rows, [["z"]], "indexes nothing uses still take a value");
      assert.deepEqual((await one("SELECT ?2, ?", "one", "two", "three")).rows, [["two", "three"]], "? after ?2 is ?3");
      assert.deepEqual((await one("SELECT :a, @b, :a, $c", 1, 2, 3)).rows, [[1, 2, 1, 3]], "named ones bind by position");
      assert.deepEqual((await one("SELECT '?' , \"?\" IS NULL FROM (SELECT 1 AS \"?\")")).rows, [["?", 0]], "no placeholders in quotes");
    });

    test("parameter count", async () => {
      const wrong = "Wrong number of parameter bindings for SQL query.";
      assert.deepEqual(await fails(q("SELECT ?1, ?2", 1)), { ok: false, error: wrong, index: 0 });
      assert.deepEqual(await fails(q("SELECT 1", 1)), { ok: false, error: wrong, index: 0 });
      assert.deepEqual(await fails(q("SELECT 1"), q("SELECT ?")), { ok: false, error: wrong, index: 1 });
    });

    test("several statements in one query", async () => {
      const r = await one(`CREATE TABLE ${tb} (v); INSERT INTO ${tb} VALUES (1); INSERT INTO ${tb} VALUES (2); SELECT v FROM ${tb} WHERE v <= ? ORDER BY v`, 5);
      assert.deepEqual([r.columns, r.rows], [["v"], [[1], [2]]]);
      assert.equal(r.meta.changes, 2, "changes add up over the statements");
      const only = await fails(q(`INSERT INTO ${tb} VALUES (?); SELECT 1`, 3));
      assert.equal(only.error, "When executing multiple SQL statements in a single call, only the last statement can have parameters.");
      await fails(q(`INSERT INTO ${tb} VALUES (3); INSERT INTO ${tb} VALUES (`));
      assert.deepEqual((await one(`SELECT count(*) FROM ${tb}`)).rows, [[2]], "a failing query keeps none of its statements");
      assert.deepEqual((await one("SELECT 1; -- trailing comment")).rows, [[1]]);
      const trigger = `CREATE TRIGGER ${tb}_tr AFTER INSERT ON ${tb} BEGIN UPDATE ${tb} SET v = v * 10 WHERE v = NEW.v; SELECT CASE WHEN NEW.v < 0 THEN RAISE(ABORT, 'negative') END; END`;
      await one(trigger);
      await one(`INSERT INTO ${tb} VALUES (5)`);
      assert.deepEqual((await one(`SELECT max(v) FROM ${tb}`)).rows, [[50]], "a trigger body's ; do not split it");
      assert.match((await fails(q(`INSERT INTO ${tb} VALUES (-1)`))).error, /^negative: SQLITE_CONSTRAINT \(extended: SQLITE_CONSTRAINT_TRIGGER\)$/);
    });

    test("batch is atomic", async () => {
      await one(`CREATE TABLE ${tb} (name TEXT PRIMARY KEY, balance INTEGER NOT NULL CHECK (balance >= 0))`);
      await ok(q(`INSERT INTO ${tb} VALUES ('alice', 100)`), q(`INSERT INTO ${tb} VALUES ('bob', 50)`));
      const balances = async () => (await one(`SELECT name, balance FROM ${tb} ORDER BY name`)).rows;
      const before = await balances();
      const check = await fails(q(`UPDATE ${tb} SET balance = balance + 1000 WHERE name = 'bob'`), q(`UPDATE ${tb} SET balance = balance - 1000 WHERE name = 'alice'`));
      assert.equal(check.index, 1);
      assert.equal(check.error, "CHECK constraint failed: balance >= 0: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_CHECK)");
      const syntax = await fails(q(`INSERT INTO ${tb} VALUES ('carol', 5)`), q(`INSERT INTO ${tb} VALUES ('dave', 5)`), q(`INSRT INTO ${tb} VALUES ('erin', 5)`));
      assert.deepEqual([syntax.index, syntax.error], [2, 'near "INSRT": syntax error at offset 0: SQLITE_ERROR']);
      const unique = await fails(q(`INSERT INTO ${tb} VALUES ('frank', 1)`), q(`INSERT INTO ${tb} VALUES ('alice', 1)`));
      assert.equal(unique.error, `UNIQUE constraint failed: ${tb}.name: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_PRIMARYKEY)`);
      const created = await fails(q(`CREATE TABLE ${tb}_x (v)`), q(`INSERT INTO ${tb}_x VALUES (1)`), q("SELECT nope"));
      assert.equal(created.index, 2);
      assert.deepEqual(await balances(), before, "no statement of a failed batch is kept");
      assert.match((await fails(q(`SELECT * FROM ${tb}_x`))).error, /^no such table/, "not even a CREATE TABLE");
      const results = await ok(q(`UPDATE ${tb} SET balance = balance - ?1 WHERE name = ?2`, 30, "alice"), q(`SELECT balance FROM ${tb} WHERE name = 'alice'`));
      assert.deepEqual(results[1]!.rows, [[70]], "later queries of a batch see earlier ones");
    });

    test("error text", async () => {
      await ok(
        q(`CREATE TABLE ${tb}_p (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)`),
        q(`CREATE TABLE ${tb}_c (id INTEGER PRIMARY KEY, pid INTEGER NOT NULL REFERENCES ${tb}_p(id))`),
        q(`CREATE TABLE ${tb}_s (n INTEGER) STRICT`),
        q(`INSERT INTO ${tb}_p VALUES (1, 'p1')`),
      );
      const error = async (sql: string, ...params: D1Value[]) => (await fails(q(sql, ...params))).error;
      assert.equal(await error(`SELEC * FROM ${tb}_p`), 'near "SELEC": syntax error at offset 0: SQLITE_ERROR');
      assert.equal(await error("SELECT 1 WHERE 1 = = 1"), 'near "=": syntax error at offset 19: SQLITE_ERROR');
      assert.equal(await error(`INSERT INTO ${tb}_p VALUES (`), "incomplete input: SQLITE_ERROR");
      assert.equal(await error("SELECT 'abc"), "unrecognized token: \"'abc\" at offset 7: SQLITE_ERROR");
      assert.equal(await error("SELECT * FROM missing_table"), "no such table: missing_table: SQLITE_ERROR");
      assert.equal(await error(`SELECT nope FROM ${tb}_p`), "no such column: nope at offset 7: SQLITE_ERROR");
      assert.equal(await error(`SELECT p.nope FROM ${tb}_p p`), "no such column: p.nope at offset 7: SQLITE_ERROR");
      assert.equal(await error("SELECT abs(1, 2)"), "wrong number of arguments to function abs() at offset 7: SQLITE_ERROR");
      assert.equal(await error("SELECT 1;\n /* c */ SELEC 2"), 'near "SELEC": syntax error at offset 8: SQLITE_ERROR', "offsets count from where the statement's text starts");
      assert.equal(await error(`INSERT INTO ${tb}_p VALUES (2, NULL)`), `NOT NULL constraint failed: ${tb}_p.name: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_NOTNULL)`);
      assert.equal(await error(`INSERT INTO ${tb}_p VALUES (3, 'p1')`), `UNIQUE constraint failed: ${tb}_p.name: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_UNIQUE)`);
      assert.equal(await error(`INSERT INTO ${tb}_c VALUES (1, 99)`), "FOREIGN KEY constraint failed: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_FOREIGNKEY)");
      assert.equal(await error(`INSERT INTO ${tb}_s VALUES (?)`, "text"), `cannot store TEXT value in INTEGER column ${tb}_s.n: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_DATATYPE)`);
      assert.equal(await error(`CREATE TABLE ${tb}_p (x)`), `table ${tb}_p already exists at offset 13: SQLITE_ERROR`);
    });

    test("meta", async () => {
      const create = await one(`CREATE TABLE ${tb} (id INTEGER PRIMARY KEY AUTOINCREMENT, v)`);
      assert.equal(create.meta.changes, 0);
      assert.equal(create.meta.changed_db, true, "a schema change changes the database");
      assert.ok(create.meta.size_after > 0);
      const a = await one(`INSERT INTO ${tb} (v) VALUES (1)`);
      const b = await one(`INSERT INTO ${tb} (v) VALUES (2), (3)`);
      assert.deepEqual([a.meta.changes, a.meta.last_row_id, a.meta.changed_db], [1, 1, true]);
      assert.deepEqual([b.meta.changes, b.meta.last_row_id, b.meta.rows_written], [2, 3, 2]);
      const read = await one(`SELECT * FROM ${tb}`);
      assert.deepEqual([read.meta.changes, read.meta.last_row_id, read.meta.changed_db, read.meta.rows_written], [0, 3, false, 0]);
      assert.equal(read.meta.rows_read, 3);
      const none = await one(`DELETE FROM ${tb} WHERE v = 99`);
      assert.deepEqual([none.meta.changes, none.meta.changed_db], [0, false]);
      for (const r of [create, a, b, read, none]) {
        assert.equal(typeof r.meta.duration, "number");
        assert.ok(r.meta.duration >= 0);
        assert.equal(typeof r.meta.size_after, "number");
      }
    });

    test("d1 restrictions", async () => {
      const error = async (sql: string) => (await fails(q(sql))).error;
      for (const sql of ["BEGIN", "BEGIN TRANSACTION", "COMMIT", "END", "ROLLBACK", "SAVEPOINT s", "RELEASE s"]) {
        assert.match(await error(sql), /^To execute a transaction, please use the state\.storage\.transaction\(\)/, sql);
      }
      for (const sql of [
        "ATTACH DATABASE 'x.db' AS x",
        "DETACH x",
        "PRAGMA journal_mode = DELETE",
        "PRAGMA journal_mode",
        "PRAGMA writable_schema = 1",
        "PRAGMA foreign_keys = maybe",
        "PRAGMA table_info",
        "PRAGMA temp.foreign_keys",
        `CREATE TABLE _cf_${tb} (v)`,
        `CREATE TEMP TABLE ${tb}_temp (v)`,
        `CREATE VIRTUAL TABLE ${tb}_r USING rtree(id, x0, x1)`,
      ]) {
        assert.equal(await error(sql), "not authorized: SQLITE_AUTH", sql);
      }
      assert.equal(await error("SELECT sqlite_version()"), "not authorized to use function: sqlite_version at offset 7: SQLITE_AUTH");
      await one(`CREATE TABLE ${tb} (id INTEGER PRIMARY KEY)`);
      for (const sql of ["PRAGMA foreign_keys", "PRAGMA foreign_keys = ON", "PRAGMA defer_foreign_keys = true", `PRAGMA table_info(${tb})`, "PRAGMA table_list", `PRAGMA main.index_list(${tb})`, "PRAGMA foreign_key_check", "PRAGMA data_version"]) {
        await one(sql);
      }
      assert.deepEqual((await one("PRAGMA foreign_keys")).rows, [[1]], "foreign keys are enforced");
    });

    test("limits", async () => {
      assert.equal((await fails(q(`SELECT '${"x".repeat(100_000)}'`))).error, "statement too long: SQLITE_TOOBIG");
      const params = Array.from({ length: 101 }, (_, i) => i);
      assert.equal((await fails(q(`SELECT ${params.map(() => "?").join(",")}`, ...params))).error, "too many SQL variables at offset 207: SQLITE_ERROR");
      assert.equal((await fails(q("SELECT ?101", ...params))).error, "variable number must be between ?1 and ?100 at offset 7: SQLITE_ERROR");
      assert.equal((await fails(q("SELECT ?0"))).error, "variable number must be between ?1 and ?100 at offset 7: SQLITE_ERROR");
      assert.deepEqual((await one(`SELECT ${params.slice(0, 100).map(() => "?").join(" + ")}`, ...params.slice(0, 100))).rows, [[4950]]);
      assert.equal((await fails(q("SELECT ?", "é".repeat(1_000_001)))).error, "string or blob too big: SQLITE_TOOBIG");
      assert.equal((await fails(q("SELECT ?", new Uint8Array(2_000_001)))).error, "string or blob too big: SQLITE_TOOBIG");
      assert.equal((await one("SELECT length(?)", new Uint8Array(2_000_000))).rows[0]![0], 2_000_000);
    });

    test("json and fts5", async () => {
      assert.deepEqual((await one(`SELECT json_extract('{"a":[1,2]}', '$.a[1]'), '{"b":"x"}' ->> '$.b', json_array_length(?)`, "[1,2,3]")).rows, [[2, "x", 3]]);
      await one(`CREATE VIRTUAL TABLE ${tb} USING fts5(body)`);
      await one(`INSERT INTO ${tb} (body) VALUES ('the quick brown fox'), ('lazy dogs sleep')`);
      assert.deepEqual((await one(`SELECT body FROM ${tb} WHERE ${tb} MATCH ? ORDER BY bm25(${tb})`, "quick")).rows, [["the quick brown fox"]]);
    });

    test("bookmarks", async () => {
      const first = await store.batch([q("SELECT 1")]);
      clock.advance(1000);
      const second = await store.batch([q("SELECT 1")]);
      assert.ok(first.ok && second.ok);
      assert.equal(typeof first.bookmark, "string");
      assert.ok(first.bookmark.localeCompare(second.bookmark) < 0, `${first.bookmark} < ${second.bookmark}`);
    });

    test("progress", async () => {
      const seen: [number, number][] = [];
      const outcome = await store.batch([q("SELECT 1"), q("SELECT 2"), q("SELECT 3")], { onProgress: (done, total) => seen.push([done, total]) });
      assert.ok(outcome.ok);
      assert.deepEqual(seen, [[1, 3], [2, 3], [3, 3]]);
    });

    test("dump", async () => {
      await one(`CREATE TABLE ${tb} (v TEXT)`);
      await one(`INSERT INTO ${tb} VALUES ('dumped-value')`);
      const image = await store.dump();
      assert.equal(new TextDecoder().decode(image.subarray(0, 16)), "SQLite format 3\0");
      assert.ok(new TextDecoder("latin1").decode(image).includes("dumped-value"));
    });

    test("persistence", async () => {
      if (!t.reopen) return;
      await one(`CREATE TABLE ${tb} (v)`);
      await ok(q(`INSERT INTO ${tb} VALUES (1)`), q(`INSERT INTO ${tb} VALUES (2)`));
      store = await t.reopen();
      assert.deepEqual((await one(`SELECT v FROM ${tb} ORDER BY v`)).rows, [[1], [2]]);
    });

    test("second handle", async () => {
      if (!t.openAnother) return;
      const other = await t.openAnother();
      try {
        await one(`CREATE TABLE ${tb} (v)`);
        await one(`INSERT INTO ${tb} VALUES ('from the first')`);
        const seen = await other.batch([q(`SELECT v FROM ${tb}`)]);
        assert.ok(seen.ok);
        assert.deepEqual(seen.results[0]!.rows, [["from the first"]]);
        assert.ok((await other.batch([q(`INSERT INTO ${tb} VALUES ('from the second')`)])).ok);
        assert.deepEqual((await one(`SELECT count(*) FROM ${tb}`)).rows, [[2]]);
      } finally {
        await other.close();
      }
    });

    test("close", async () => {
      if (!t.openAnother) return;
      const other = await t.openAnother();
      await other.close();
      await other.close();
      await assert.rejects(other.batch([q("SELECT 1")]));
      await assert.rejects(other.dump());
    });
  });
}
