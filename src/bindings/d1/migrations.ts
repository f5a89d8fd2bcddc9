/**
 * D1 migrations as `wrangler d1 migrations` keeps them (api-surface.md 0.9):
 *
 * - numbered files `<migrations_dir>/NNNN_<message>.sql` (4 digits, zero-padded), applied in the
 *   order of their number;
 * - a tracking table (`d1_migrations` unless `migrations_table` says otherwise) with one row per
 *   applied file: `id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP`;
 * - each file runs with the `INSERT` that records it in one transaction, so a failing migration
 *   leaves no trace: neither its changes nor its row.
 */
import fs from "node:fs";
import { splitStatements } from "../../shared/sql-text.js";
import type { D1BatchOptions, D1Query, D1Store } from "./store.js";

/** Where migration files live unless `migrations_dir` says otherwise, relative to the config file. */
export const D1_DEFAULT_MIGRATIONS_DIR = "migrations";
/** The tracking table unless `migrations_table` says otherwise. */
export const D1_DEFAULT_MIGRATIONS_TABLE = "d1_migrations";
/** Digits of a migration number in a file name. */
const MIGRATION_NUMBER_DIGITS = 4;

export type MigrationOutcome = { ok: true } | { ok: false; error: string; statement?: string };

/** The number a migration file name starts with (`0003_add_users.sql` → 3), or NaN. */
function migrationNumber(file: string): number {
  return Number.parseInt(file.split("_")[0]!, 10);
}

/** The `*.sql` files of `dir`, in the order they apply: by number, then by name. */
export function listMigrationFiles(dir: string): string[] {
  const files = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith(".sql")).map((e) => e.name);
  const key = (file: string) => {
    const n = migrationNumber(file);
    return Number.isNaN(n) ? Number.POSITIVE_INFINITY : n;
  };
  return files.sort((a, b) => key(a) - key(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** The next free migration number: one more than the highest in use, 0 for an empty folder. */
export function nextMigrationNumber(files: readonly string[]): number {
  let highest = -1;
  for (const file of files) {
    const n = migrationNumber(file);
    if (!Number.isNaN(n) && n > highest) highest = n;
  }
  return highest + 1;
}

/** `NNNN_<message, spaces as underscores>.sql`. */
export function migrationFileName(number: number, message: string): string {
  return `${String(number).padStart(MIGRATION_NUMBER_DIGITS, "0")}_${message.replaceAll(" ", "_")}.sql`;
}

/** The first line wrangler writes into a new migration file. */
export function migrationFileHeader(number: number, created: Date): string {
  return `-- Migration number: ${String(number).padStart(MIGRATION_NUMBER_DIGITS, "0")} \t ${created.toISOString()}\n`;
}

const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function run(store: D1Store, queries: D1Query[], options?: D1BatchOptions) {
  const outcome = await store.batch(queries, options);
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.results;
}

/** Creates the tracking table if it does not exist yet. Rejects with D1's error text. */
export async function createMigrationsTable(store: D1Store, table: string): Promise<void> {
  await run(store, [
    {
      sql: `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(table)}(
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  name       TEXT UNIQUE,
  applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
)`,
      params: [],
    },
  ]);
}

/** Names of the applied migrations, in the order they were applied. The table must exist. */
export async function appliedMigrations(store: D1Store, table: string): Promise<string[]> {
  const [result] = await run(store, [{ sql: `SELECT name FROM ${quoteIdentifier(table)} ORDER BY id`, params: [] }]);
  return result!.rows.map((row) => String(row[0]));
}

/**
 * Runs one migration file and records it, in one transaction. On failure nothing of it is kept,
 * and the outcome names the statement that failed.
 */
export async function applyMigration(
  store: D1Store,
  table: string,
  name: string,
  sql: string,
  options?: D1BatchOptions,
): Promise<MigrationOutcome> {
  const statements = splitStatements(sql, { triggerWords: "statement" }).map((s) => s.text);
  const queries: D1Query[] = [
    ...statements.map((text) => ({ sql: text, params: [] })),
    { sql: `INSERT INTO ${quoteIdentifier(table)} (name) VALUES (?)`, params: [name] },
  ];
  const outcome = await store.batch(queries, options);
  if (outcome.ok) return { ok: true };
  const statement = outcome.index === undefined ? undefined : statements[outcome.index];
  return statement === undefined ? { ok: false, error: outcome.error } : { ok: false, error: outcome.error, statement };
}
