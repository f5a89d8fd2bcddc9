/**
 * `ctx.storage.sql` of SQLite-backed classes (workerd's `sql.c++`).
 *
 * `exec(query, ...bindings)` runs a script: every statement but the last runs at once (and may not
 * have placeholders); the bindings and the returned cursor belong to the last one. Each statement
 * is checked (sql-policy.ts), prepared after the previous one ran (so a script may create a table
 * and use it), and joins the write batch when it writes. Values bind as workerd binds them: strings
 * as TEXT, numbers as REAL (`typeof(?)` of 7 is 'real'), ArrayBuffer and views as BLOB,
 * null/undefined as NULL, anything else as its string. Results: INTEGER and REAL as numbers
 * (integers beyond 2^53 lose precision), TEXT as strings, BLOB as ArrayBuffer, NULL as null.
 *
 * rowsWritten counts the rows the last statement inserted, updated or deleted (triggers included).
 * rowsRead approximates Cloudflare's count, which SQLite does not expose here: rows returned, or
 * for UPDATE/DELETE the rows changed.
 */
import type Database from "better-sqlite3";
import { Buffer } from "node:buffer";
import { storageError } from "./errors.js";
import { SqlStorageCursor, type SqlResult } from "./sql-cursor.js";
import { toSqlError, wrongBindingsError, type PrepareProbe } from "./sql-errors.js";
import { checkStatement } from "./sql-policy.js";
import { keyword, parameterSlots, splitStatements, type SqlStatement } from "../../../shared/sql-text.js";
import type { StorageContext } from "./storage-context.js";
import type { SqlStorageValue } from "./types.js";

/** Prepared statements kept for reuse, by SQL text (least recently used dropped first). */
const STATEMENT_CACHE_MAX_ENTRIES = 256;
/** Split scripts kept for reuse, by SQL text. */
const SCRIPT_CACHE_MAX_ENTRIES = 256;

type BoundValue = string | number | null | Buffer;

export class SqlStorage {
  readonly #ctx: StorageContext;
  readonly #scripts = new Map<string, SqlStatement[]>();
  readonly #statements = new Map<string, Database.Statement>();
  readonly #probe: PrepareProbe;

  constructor(ctx: StorageContext) {
    this.#ctx = ctx;
    this.#probe = (sql) => {
      try {
        ctx.database.db.prepare(sql);
        return null;
      } catch (e) {
        return e instanceof Error ? e.message : String(e);
      }
    };
  }

  /** The cursor class, as `sql.Cursor` exposes it. */
  get Cursor(): typeof SqlStorageCursor {
    return SqlStorageCursor;
  }

  /** Size of the database in bytes (its live pages). */
  get databaseSize(): number {
    this.#ctx.check();
    return this.#ctx.database.sizeBytes();
  }

  exec(query: unknown, ...bindings: unknown[]): SqlStorageCursor {
    this.#ctx.check();
    const sql = String(query);
    const values = bindings.map(toBoundValue);
    const statements = this.#split(sql);
    if (statements.length === 0) throw storageError("Error", "SQL code did not contain a statement.");
    const last = statements.length - 1;
    for (let i = 0; i < last; i++) {
      const statement = statements[i]!;
      if (parameterSlots(statement.tokens).count > 0) {
        throw storageError("Error", "When executing multiple SQL statements in a single call, only the last statement can have parameters.");
      }
      this.#run(sql, statement, [], false);
    }
    return new SqlStorageCursor(this.#run(sql, statements[last]!, values, true));
  }

  /** Runs one statement; `wantRows` reads all its rows (intermediate statements only step once, as workerd does). */
  #run(sql: string, statement: SqlStatement, values: BoundValue[], wantRows: boolean): SqlResult {
    checkStatement(statement);
    const { database, batch } = this.#ctx;
    try {
      const stmt = this.#prepare(statement.code);
      const slots = parameterSlots(statement.tokens);
      if (values.length !== slots.count) throw wrongBindingsError();
      const args = bindArguments(slots.names, values);
      const writes = !stmt.readonly;
      if (writes) batch.beginWrite();
      const changesBefore = writes ? database.totalChanges() : 0;
      let rows: unknown[][] = [];
      if (stmt.reader && wantRows) rows = stmt.all(...args) as unknown[][];
      else if (stmt.reader) stmt.get(...args);
      else stmt.run(...args);
      const rowsWritten = writes ? database.totalChanges() - changesBefore : 0;
      const verb = keyword(statement.tokens[0]);
      return {
        columnNames: stmt.reader ? stmt.columns().map((c) => c.name) : [],
        rows: rows.map((row) => row.map(toResultValue)),
        rowsRead: stmt.reader ? rows.length : verb === "UPDATE" || verb === "DELETE" ? rowsWritten : 0,
        rowsWritten,
      };
    } catch (e) {
      throw toSqlError(e, sql, statement, this.#probe);
    }
  }

  #split(sql: string): SqlStatement[] {
    let statements = this.#scripts.get(sql);
    if (statements === undefined) {
      statements = splitStatements(sql);
      remember(this.#scripts, sql, statements, SCRIPT_CACHE_MAX_ENTRIES);
    }
    return statements;
  }

  #prepare(text: string): Database.Statement {
    let stmt = this.#statements.get(text);
    if (stmt === undefined) {
      stmt = this.#ctx.database.db.prepare(text);
      if (stmt.reader) stmt.raw(true);
    } else this.#statements.delete(text);
    remember(this.#statements, text, stmt, STATEMENT_CACHE_MAX_ENTRIES);
    return stmt;
  }
}

/** Adds `key` as the most recent entry of an LRU map, dropping the oldest beyond `max`. */
function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value!);
}

/** better-sqlite3's arguments for SQLite's slots: positional values for unnamed slots, one object for named ones. */
function bindArguments(names: (string | null)[], values: BoundValue[]): unknown[] {
  const positional: BoundValue[] = [];
  let named: Record<string, BoundValue> | undefined;
  names.forEach((name, i) => {
    if (name === null) positional.push(values[i]!);
    else (named ??= {})[name.slice(1)] = values[i]!;
  });
  return named === undefined ? positional : [...positional, named];
}

function toBoundValue(value: unknown): BoundValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number") return value;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return `${value as string}`; // workerd's bindings coerce anything else to a string
}

function toResultValue(value: unknown): SqlStorageValue {
  if (Buffer.isBuffer(value)) return value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength) as ArrayBuffer;
  if (typeof value === "bigint") return Number(value);
  return value as SqlStorageValue;
}
