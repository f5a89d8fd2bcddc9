import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, afterEach, describe, it } from "node:test";
import { closeD1Databases, createD1Database, d1Descriptors } from "../../bindings/d1/index.js";
import { readConfig } from "../../config/index.js";
import { isHearthError } from "../../shared/errors.js";
import { resolveStateRoot } from "../../shared/paths.js";
import { registerD1Commands } from "./d1.js";
import { testCli } from "../../../test/helpers/cli.js";

const tempRoots: string[] = [];
after(() => {
  for (const dir of tempRoots) fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(() => closeD1Databases());

const WRANGLER_TOML = `
name = "d1-cli-test"
compatibility_date = "2026-04-01"

[[d1_databases]]
binding = "DB"
database_name = "app-db"
database_id = "11111111-1111-4111-8111-111111111111"

[[d1_databases]]
binding = "CUSTOM"
database_name = "custom-db"
database_id = "custom-id"
preview_database_id = "custom-preview"
migrations_dir = "db/changes"
migrations_table = "schema_history"
`;

function project(files: Record<string, string> = {}, toml: string | null = WRANGLER_TOML): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-d1-cli-"));
  tempRoots.push(dir);
  if (toml !== null) fs.writeFileSync(path.join(dir, "wrangler.toml"), toml);
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

interface Ran {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs `hearth <args>` in-process with only the d1 commands registered; returns what it printed. */
async function run(cwd: string, args: string[], options: { tty?: boolean } = {}): Promise<Ran> {
  const ran: Ran = { stdout: "", stderr: "", exitCode: 0 };
  const cli = testCli();
  registerD1Commands(cli, {
    cwd,
    now: () => new Date("2026-04-01T12:00:00.000Z"),
    output: {
      stdout: (text) => void (ran.stdout += text),
      stderr: (text) => void (ran.stderr += text),
      isTTY: options.tty ?? false,
      setExitCode: (code) => void (ran.exitCode = code),
    },
  });
  await cli.parseAsync(args);
  return ran;
}

async function commandError(cwd: string, args: string[], pattern: RegExp): Promise<void> {
  await assert.rejects(run(cwd, args), (e: unknown) => {
    assert.ok(isHearthError(e), `expected a HearthError, got ${String(e)}`);
    assert.match(e.message, pattern);
    return true;
  });
}

/** The JSON document at the end of the output (after wrangler's status lines). */
function jsonOf(stdout: string): unknown {
  return JSON.parse(stdout.slice(stdout.indexOf("\n[") + 1));
}

/** The databases `hearth dev` would bind for the project, opened on the same state. */
function runtimeEnv(dir: string, persistTo?: string) {
  const loaded = readConfig({ cwd: dir });
  const state = resolveStateRoot(loaded.dir, persistTo, dir);
  return Object.fromEntries(d1Descriptors(loaded.config.d1_databases ?? [], state).map((d) => [d.name, createD1Database(d)]));
}

describe("hearth d1 execute", () => {
  it("runs a command on the database hearth dev uses, found by binding or database_name", async () => {
    const dir = project();
    const created = await run(dir, ["d1", "execute", "DB", "--command", "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT, raw BLOB); INSERT INTO notes (body, raw) VALUES ('hello', x'0102'), (NULL, NULL)"]);
    assert.match(created.stdout, /^🌀 Executing on local database DB \(11111111-1111-4111-8111-111111111111\) from \.hearth\/state\/d1:\n/);
    assert.match(created.stdout, /🚣 2 commands executed successfully\.\n/);
    const selected = await run(dir, ["d1", "execute", "app-db", "--command", "SELECT id, body, raw FROM notes ORDER BY id"]);
    const [result] = jsonOf(selected.stdout) as { results: unknown[]; success: boolean; meta: { duration: number } }[];
    assert.deepEqual(result!.results, [{ id: 1, body: "hello", raw: "[1, 2]" }, { id: 2, body: "null", raw: "null" }], "as wrangler prints them");
    assert.equal(result!.success, true);
    assert.equal(typeof result!.meta.duration, "number");
    const env = runtimeEnv(dir);
    const db = env["DB"] as ReturnType<typeof createD1Database>;
    assert.deepEqual((await db.prepare("SELECT body FROM notes WHERE id = 1").first()), { body: "hello" });
  });

  it("prints only JSON with --json, errors included (exit status 1)", async () => {
    const dir = project();
    const ok = await run(dir, ["d1", "execute", "DB", "--json", "--command", "SELECT 1 AS one"]);
    const parsed = JSON.parse(ok.stdout) as { results: unknown[]; success: boolean }[];
    assert.deepEqual(parsed.map((r) => [r.results, r.success]), [[[{ one: 1 }], true]]);
    const failed = await run(dir, ["d1", "execute", "DB", "--json", "--command", "SELECT * FROM missing"]);
    assert.deepEqual(JSON.parse(failed.stdout), { error: { text: "no such table: missing: SQLITE_ERROR" } });
    assert.equal(failed.exitCode, 1);
  });

  it("draws tables on a terminal", async () => {
    const dir = project();
    const out = await run(dir, ["d1", "execute", "DB", "--command", "SELECT 1 AS id, 'ada' AS name"], { tty: true });
    assert.match(out.stdout, /│ id │ name │\n├────┼──────┤\n│ 1  │ ada  │/);
  });

  it("runs a file as one transaction, and names the statement that failed", async () => {
    const dir = project({
      "schema.sql": "CREATE TABLE t (v INTEGER UNIQUE);\nCREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  UPDATE t SET v = v + 0 WHERE v = NEW.v;\nEND;\nINSERT INTO t VALUES (1);\n",
      "bad.sql": "INSERT INTO t VALUES (2);\nINSERT INTO t VALUES (1);\n",
    });
    const out = await run(dir, ["d1", "execute", "DB", "--file", "schema.sql"]);
    assert.match(out.stdout, /🚣 3 commands executed successfully\./);
    await commandError(dir, ["d1", "execute", "DB", "--file", "bad.sql"], /^UNIQUE constraint failed: t\.v: SQLITE_CONSTRAINT \(extended: SQLITE_CONSTRAINT_UNIQUE\)\nThe failing statement \(2 of 2\) was: INSERT INTO t VALUES \(1\)$/);
    const rows = await run(dir, ["d1", "execute", "DB", "--json", "--command", "SELECT v FROM t"]);
    assert.deepEqual((JSON.parse(rows.stdout) as { results: unknown[] }[])[0]!.results, [{ v: 1 }], "nothing of the failed file was kept");
  });

  it("shows progress for long files", async () => {
    const statements = Array.from({ length: 1500 }, (_, i) => `INSERT INTO t VALUES (${i});`).join("\n");
    const dir = project({ "big.sql": `CREATE TABLE t (v);\n${statements}\n` });
    const out = await run(dir, ["d1", "execute", "DB", "--file", "big.sql"]);
    assert.match(out.stderr, /🌀 Executing big\.sql: 151 of 1501 statements \(10%\)\n/);
    assert.match(out.stderr, /🌀 Executing big\.sql: 1501 of 1501 statements \(100%\)\n$/);
    assert.match(out.stdout, /🚣 1501 commands executed successfully\./);
  });

  it("honours --persist-to and preview_database_id", async () => {
    const dir = project();
    await run(dir, ["d1", "execute", "CUSTOM", "--persist-to", "elsewhere", "--command", "CREATE TABLE marker (v)"]);
    assert.ok(fs.existsSync(path.join(dir, "elsewhere", "d1", "custom-preview", "db.sqlite")));
  });

  it("explains what is wrong", async () => {
    const dir = project({ "real.sqlite": "SQLite format 3\0rest" });
    await commandError(dir, ["d1", "execute", "NOPE", "--command", "SELECT 1"], /^Couldn't find a D1 DB with the name or binding 'NOPE' in your wrangler\.toml file\.$/);
    await commandError(dir, ["d1", "execute", "DB"], /^Error: must provide --command or --file\.$/);
    await commandError(dir, ["d1", "execute", "DB", "--command", "SELECT 1", "--file", "x.sql"], /^Error: can't provide both --command and --file\.$/);
    await commandError(dir, ["d1", "execute", "DB", "--remote", "--command", "SELECT 1"], /^--remote is not supported/);
    await commandError(dir, ["d1", "execute", "DB", "--file", "missing.sql"], /^Unable to read SQL text file "missing\.sql"\./);
    await commandError(dir, ["d1", "execute", "DB", "--file", "real.sqlite"], /^Provided file is a binary SQLite database file/);
    await commandError(dir, ["d1", "execute", "DB", "--command=-- nothing"], /^No SQL statements detected\.$/);
    await commandError(dir, ["d1", "execute", "DB", "--command", "BEGIN"], /^To execute a transaction/);
  });
});

describe("hearth d1 migrations", () => {
  it("create numbers files from 0000 and makes the folder", async () => {
    const dir = project();
    const first = await run(dir, ["d1", "migrations", "create", "DB", "create users"]);
    assert.match(first.stdout, /✅ Successfully created Migration '0000_create_users\.sql'!/);
    await run(dir, ["d1", "migrations", "create", "app-db", "add index"]);
    assert.deepEqual(fs.readdirSync(path.join(dir, "migrations")).sort(), ["0000_create_users.sql", "0001_add_index.sql"]);
    assert.equal(fs.readFileSync(path.join(dir, "migrations", "0001_add_index.sql"), "utf8"), "-- Migration number: 0001 \t 2026-04-01T12:00:00.000Z\n");
    await run(dir, ["d1", "migrations", "create", "CUSTOM", "x"]);
    assert.ok(fs.existsSync(path.join(dir, "db", "changes", "0000_x.sql")), "migrations_dir is honoured");
  });

  it("list and apply say so when there is no migrations folder", async () => {
    const dir = project();
    await commandError(dir, ["d1", "migrations", "list", "DB"], new RegExp(`^No migrations present at ${path.join(dir, "migrations").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.$`));
    await commandError(dir, ["d1", "migrations", "apply", "DB"], /^No migrations present at /);
  });

  it("apply runs the pending files in order, each in its own transaction, and skips applied ones", async () => {
    const dir = project({
      "migrations/0000_users.sql": "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE);",
      "migrations/0001_seed.sql": "INSERT INTO users (email) VALUES ('a@example.com');",
      "migrations/0002_bad.sql": "INSERT INTO users (email) VALUES ('b@example.com');\nINSERT INTO users (email) VALUES ('a@example.com');",
      "migrations/0003_after.sql": "CREATE TABLE later (v);",
    });
    const listed = await run(dir, ["d1", "migrations", "list", "DB"]);
    assert.match(listed.stdout, /Migrations to be applied:\n┌[─┬]+┐\n│ Name +│\n├[─┼]+┤\n│ 0000_users\.sql +│\n│ 0001_seed\.sql +│\n│ 0002_bad\.sql +│\n│ 0003_after\.sql +│\n└/);
    await commandError(dir, ["d1", "migrations", "apply", "DB"], /^UNIQUE constraint failed: users\.email: SQLITE_CONSTRAINT \(extended: SQLITE_CONSTRAINT_UNIQUE\)\nThe failing statement was: INSERT INTO users \(email\) VALUES \('a@example\.com'\)$/);
    const state = await run(dir, ["d1", "execute", "DB", "--json", "--command", "SELECT name FROM d1_migrations ORDER BY id; SELECT email FROM users ORDER BY id"]);
    assert.deepEqual((JSON.parse(state.stdout) as { results: unknown[] }[])[1]!.results, [{ email: "a@example.com" }], "0002 left nothing behind");
    const applied = await run(dir, ["d1", "execute", "DB", "--json", "--command", "SELECT name FROM d1_migrations ORDER BY id"]);
    assert.deepEqual((JSON.parse(applied.stdout) as { results: unknown[] }[])[0]!.results, [{ name: "0000_users.sql" }, { name: "0001_seed.sql" }]);

    fs.writeFileSync(path.join(dir, "migrations", "0002_bad.sql"), "INSERT INTO users (email) VALUES ('b@example.com');");
    const out = await run(dir, ["d1", "migrations", "apply", "DB"]);
    assert.match(out.stdout, /✅ Applied 0002_bad\.sql\n✅ Applied 0003_after\.sql\n/);
    assert.doesNotMatch(out.stdout, /Applied 0000_users/);
    assert.match((await run(dir, ["d1", "migrations", "apply", "DB"])).stdout, /✅ No migrations to apply!\n$/);
    assert.match((await run(dir, ["d1", "migrations", "list", "DB"])).stdout, /✅ No migrations to apply!\n$/);
  });

  it("uses migrations_table and migrations_dir from the config", async () => {
    const dir = project({ "db/changes/0000_init.sql": "CREATE TABLE t (v);" });
    await run(dir, ["d1", "migrations", "apply", "custom-db"]);
    const out = await run(dir, ["d1", "execute", "CUSTOM", "--json", "--command", "SELECT name FROM schema_history"]);
    assert.deepEqual((JSON.parse(out.stdout) as { results: unknown[] }[])[0]!.results, [{ name: "0000_init.sql" }]);
  });
});

describe("hearth d1 export", () => {
  const SCHEMA_AND_DATA = [
    "CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL)",
    "CREATE TABLE books (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES authors(id), title TEXT, price REAL, cover BLOB)",
    "CREATE INDEX books_by_author ON books (author_id)",
    "CREATE VIEW cheap AS SELECT title FROM books WHERE price < 10",
    "CREATE TRIGGER no_empty BEFORE INSERT ON authors WHEN NEW.name = '' BEGIN SELECT RAISE(ABORT, 'empty'); END",
    "INSERT INTO authors VALUES (1, 'O''Brien'), (2, 'Zoë')",
    "INSERT INTO books VALUES (1, 1, 'It''s \"quoted\"', 9.5, x'00FF10'), (2, 2, NULL, 12, NULL), (3, 1, 'big', 1e300, x'')",
  ].join(";\n");

  it("writes SQL that rebuilds the same database with `d1 execute --file`", async () => {
    const dir = project();
    await run(dir, ["d1", "execute", "DB", "--command", SCHEMA_AND_DATA]);
    const exported = await run(dir, ["d1", "export", "DB", "--output", "dump.sql"]);
    assert.match(exported.stdout, /^🌀 Exporting local database DB \(11111111-1111-4111-8111-111111111111\) to dump\.sql\n✅ Exported DB to dump\.sql\n$/);
    const sql = fs.readFileSync(path.join(dir, "dump.sql"), "utf8");
    assert.ok(sql.startsWith("PRAGMA defer_foreign_keys=TRUE;\nCREATE TABLE authors"), sql);
    assert.ok(sql.indexOf("CREATE INDEX books_by_author") > sql.lastIndexOf("INSERT INTO"), "indexes, triggers and views come after the data");

    // Load it into the other database and compare every row and the schema.
    await run(dir, ["d1", "execute", "CUSTOM", "--file", "dump.sql"]);
    const read = async (db: string, query: string) => (jsonOf((await run(dir, ["d1", "execute", db, "--command", query])).stdout) as { results: unknown[] }[])[0]!.results;
    for (const query of [
      "SELECT id, name FROM authors ORDER BY id",
      "SELECT id, author_id, title, price, hex(cover) AS cover FROM books ORDER BY id",
      "SELECT type, name, sql FROM sqlite_master ORDER BY name",
      "SELECT title FROM cheap",
    ]) {
      assert.deepEqual(await read("CUSTOM", query), await read("DB", query), query);
    }
  });

  it("picks tables with --table, and leaves out the schema or the data", async () => {
    const dir = project();
    await run(dir, ["d1", "execute", "DB", "--command", SCHEMA_AND_DATA]);
    await run(dir, ["d1", "export", "DB", "--output", "authors.sql", "--table", "authors"]);
    const authors = fs.readFileSync(path.join(dir, "authors.sql"), "utf8");
    assert.match(authors, /CREATE TABLE authors/);
    assert.match(authors, /CREATE TRIGGER no_empty/);
    assert.doesNotMatch(authors, /books|cheap/);
    await run(dir, ["d1", "export", "DB", "--output", "schema.sql", "--no-data"]);
    assert.doesNotMatch(fs.readFileSync(path.join(dir, "schema.sql"), "utf8"), /^INSERT/m);
    await run(dir, ["d1", "export", "DB", "--output", "data.sql", "--no-schema"]);
    const data = fs.readFileSync(path.join(dir, "data.sql"), "utf8");
    assert.doesNotMatch(data, /CREATE/);
    assert.match(data, /^INSERT INTO "books" VALUES\(1,1,'It''s "quoted"',9\.5,X'00FF10'\);$/m);
  });

  it("explains what it cannot do", async () => {
    const dir = project();
    await run(dir, ["d1", "execute", "DB", "--command", "CREATE TABLE t (v); CREATE VIRTUAL TABLE docs USING fts5(body)"]);
    await commandError(dir, ["d1", "export", "DB", "--output", "x.sql"], /Could not export DB: Export is not supported for databases with virtual tables/);
    await run(dir, ["d1", "execute", "CUSTOM", "--command", "CREATE TABLE t (v)"]);
    await commandError(dir, ["d1", "export", "CUSTOM", "--output", "x.sql", "--table", "nope"], /No such table: nope/);
    await commandError(dir, ["d1", "export", "DB", "--output", "x.sql", "--no-schema", "--no-data"], /both --no-schema and --no-data/);
    await commandError(dir, ["d1", "export", "DB", "--output", "x.sql", "--remote"], /--remote is not supported/);
    assert.equal(fs.existsSync(path.join(dir, "x.sql")), false);
  });
});
