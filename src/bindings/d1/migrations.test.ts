import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, afterEach, beforeEach, describe, it } from "node:test";
import { openSqliteD1Store } from "./drivers/sqlite.js";
import {
  appliedMigrations,
  applyMigration,
  createMigrationsTable,
  listMigrationFiles,
  migrationFileHeader,
  migrationFileName,
  nextMigrationNumber,
} from "./migrations.js";
import type { D1Store } from "./store.js";

const tempRoots: string[] = [];
after(() => {
  for (const dir of tempRoots) fs.rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-d1-migrations-"));
  tempRoots.push(dir);
  return dir;
};

describe("migration files", () => {
  it("lists *.sql files in the order of their number, then name", () => {
    const dir = tempDir();
    for (const name of ["0010_ten.sql", "0002_two.sql", "0002_also.sql", "notes.txt", "readme.sql", "0001_one.sql"]) fs.writeFileSync(path.join(dir, name), "");
    fs.mkdirSync(path.join(dir, "0003_folder.sql"));
    assert.deepEqual(listMigrationFiles(dir), ["0001_one.sql", "0002_also.sql", "0002_two.sql", "0010_ten.sql", "readme.sql"]);
  });

  it("numbers a new file one past the highest number, from 0000", () => {
    assert.equal(nextMigrationNumber([]), 0);
    assert.equal(nextMigrationNumber(["0000_init.sql", "0007_x.sql", "0003_y.sql", "misc.sql"]), 8);
    assert.equal(migrationFileName(8, "add users table"), "0008_add_users_table.sql");
    assert.equal(migrationFileName(12345, "big"), "12345_big.sql");
    assert.equal(migrationFileHeader(3, new Date("2026-04-01T10:00:00.000Z")), "-- Migration number: 0003 \t 2026-04-01T10:00:00.000Z\n");
  });
});

describe("applying migrations", () => {
  let store: D1Store;
  beforeEach(() => {
    store = openSqliteD1Store(path.join(tempDir(), "db"));
  });
  afterEach(() => store.close());

  it("records each applied file in the tracking table wrangler uses", async () => {
    await createMigrationsTable(store, "d1_migrations");
    await createMigrationsTable(store, "d1_migrations"); // idempotent
    const info = await store.batch([{ sql: "PRAGMA table_info(d1_migrations)", params: [] }]);
    assert.ok(info.ok);
    assert.deepEqual(info.results[0]!.rows.map((r) => [r[1], r[2]]), [["id", "INTEGER"], ["name", "TEXT"], ["applied_at", "TIMESTAMP"]]);
    assert.deepEqual(await applyMigration(store, "d1_migrations", "0000_init.sql", "-- Migration number: 0000\nCREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE);\nINSERT INTO users (email) VALUES ('a@example.com');\n"), { ok: true });
    assert.deepEqual(await applyMigration(store, "d1_migrations", "0001_empty.sql", "-- nothing yet\n"), { ok: true });
    assert.deepEqual(await appliedMigrations(store, "d1_migrations"), ["0000_init.sql", "0001_empty.sql"]);
  });

  it("keeps nothing of a failing migration: neither its changes nor its row", async () => {
    await createMigrationsTable(store, "custom migrations");
    await applyMigration(store, "custom migrations", "0000_init.sql", "CREATE TABLE t (v INTEGER UNIQUE);");
    const outcome = await applyMigration(store, "custom migrations", "0001_bad.sql", "INSERT INTO t VALUES (1);\nCREATE TABLE u (v);\nINSERT INTO t VALUES (1);");
    assert.deepEqual(outcome, {
      ok: false,
      error: "UNIQUE constraint failed: t.v: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_UNIQUE)",
      statement: "INSERT INTO t VALUES (1)",
    });
    assert.deepEqual(await appliedMigrations(store, "custom migrations"), ["0000_init.sql"]);
    const check = await store.batch([{ sql: "SELECT (SELECT count(*) FROM t), (SELECT count(*) FROM sqlite_master WHERE name = 'u')", params: [] }]);
    assert.ok(check.ok);
    assert.deepEqual(check.results[0]!.rows, [[0, 0]]);
  });

  it("supports PRAGMA defer_foreign_keys inside a migration", async () => {
    await createMigrationsTable(store, "d1_migrations");
    const sql = `PRAGMA defer_foreign_keys = on;
CREATE TABLE parent (id INTEGER PRIMARY KEY);
CREATE TABLE child (id INTEGER PRIMARY KEY, pid INTEGER REFERENCES parent(id));
INSERT INTO child VALUES (1, 7);
INSERT INTO parent VALUES (7);`;
    assert.deepEqual(await applyMigration(store, "d1_migrations", "0000_fk.sql", sql), { ok: true });
  });
});
