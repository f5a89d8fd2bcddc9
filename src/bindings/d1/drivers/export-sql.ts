/**
 * `wrangler d1 export` for the embedded driver: the database as SQL text that rebuilds it —
 * `PRAGMA defer_foreign_keys=TRUE;`, then each table's CREATE statement followed by its rows as
 * INSERTs, then indexes, triggers and views — in the order SQLite's own `.dump` uses, so the file
 * runs again with `hearth d1 execute --file` (or `wrangler d1 execute`).
 *
 * As on D1, a database with virtual tables (FTS5) cannot be exported.
 */
import type Database from "better-sqlite3";
import { Buffer } from "node:buffer";
import type { D1ExportOptions } from "../store.js";

/** D1's answer for a database with virtual tables (its export docs). */
export const VIRTUAL_TABLES_UNSUPPORTED =
  "Export is not supported for databases with virtual tables (such as FTS5): drop them, export, then create them again.";

interface SchemaRow {
  type: "table" | "index" | "trigger" | "view";
  name: string;
  tbl_name: string;
  sql: string | null;
}

/** A name as a double-quoted SQL identifier. */
function identifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A stored value as a SQL literal. */
function literal(value: unknown): string {
  if (value === null) return "NULL";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : value > 0 ? "9.0e999" : value < 0 ? "-9.0e999" : "NULL";
  if (typeof value === "bigint") return value.toString();
  if (Buffer.isBuffer(value)) return `X'${value.toString("hex").toUpperCase()}'`;
  return `'${String(value).replaceAll("'", "''")}'`;
}

export function exportSql(db: Database.Database, options: D1ExportOptions): string {
  const schema = db
    .prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY rowid")
    .all() as SchemaRow[];
  if (schema.some((row) => row.type === "table" && /^\s*CREATE\s+VIRTUAL\s+TABLE/i.test(row.sql ?? ""))) throw new Error(VIRTUAL_TABLES_UNSUPPORTED);
  const wanted = options.tables && options.tables.length > 0 ? new Set(options.tables) : undefined;
  const missing = wanted ? [...wanted].filter((name) => !schema.some((row) => row.type === "table" && row.name === name)) : [];
  if (missing.length > 0) throw new Error(`No such table${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}`);
  const selected = schema.filter((row) => (wanted ? wanted.has(row.tbl_name) && row.type !== "view" : true));

  const out: string[] = ["PRAGMA defer_foreign_keys=TRUE;"];
  for (const table of selected.filter((row) => row.type === "table")) {
    if (options.schema && table.sql) out.push(`${table.sql};`);
    if (!options.data) continue;
    const rows = db.prepare(`SELECT * FROM ${identifier(table.name)}`).raw(true).iterate() as IterableIterator<unknown[]>;
    for (const row of rows) out.push(`INSERT INTO ${identifier(table.name)} VALUES(${row.map(literal).join(",")});`);
  }
  if (options.schema) {
    for (const type of ["index", "trigger", "view"] as const) {
      for (const row of selected) if (row.type === type && row.sql) out.push(`${row.sql};`);
    }
  }
  return out.join("\n") + "\n";
}
