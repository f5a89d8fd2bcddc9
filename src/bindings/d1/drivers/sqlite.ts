/**
 * The embedded D1 driver: the user's database is one SQLite file, `<dir>/db.sqlite`, opened with
 * better-sqlite3 in the thread that runs the Worker (or the `hearth d1` command).
 *
 * Unlike KV, Hearth keeps no schema of its own here: the file holds exactly the user's tables, so
 * `sqlite3 <state>/d1/<id>/db.sqlite` shows what the Worker wrote. Crash safety comes from SQLite
 * itself (docs/storage.md): WAL mode with `synchronous = FULL` (a commit fsyncs the WAL before it
 * returns), and every multi-statement query and every batch runs in one transaction, so a crash
 * leaves each batch either committed whole or not at all. Writes are group-committed: the write
 * batches of one event-loop turn run in one transaction (each inside its own savepoint, so a failing
 * batch undoes only itself), committed — one fsync — right after the turn, and each batch is
 * acknowledged (its promise resolves) only once that commit has returned. Several connections (isolate threads,
 * a dev server and a CLI process) share the file: WAL gives readers a snapshot while one writer
 * commits, and `busy_timeout` makes writers wait for the lock instead of failing.
 *
 * Before SQLite sees a statement it is checked against D1's restrictions (../restrictions.ts) and
 * limits (../limits.ts); errors are worded as D1 words them (./sqlite-errors.ts).
 */
import type Database from "better-sqlite3";
import { Buffer } from "node:buffer";
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { setImmediate } from "node:timers";
import { systemClock, type Clock } from "../../../shared/clock.js";
import { openSqlite } from "../../../shared/sqlite.js";
import { D1_MAX_BOUND_PARAMETERS, D1_MAX_SQL_LENGTH_BYTES, D1_MAX_VALUE_SIZE_BYTES } from "../limits.js";
import { checkStatement } from "../restrictions.js";
import { keyword, parameterSlots, splitStatements, type SqlStatement } from "../../../shared/sql-text.js";
import type { D1BatchOptions, D1BatchOutcome, D1ExportOptions, D1Query, D1QueryResult, D1Store, D1Value } from "../store.js";
import { exportSql } from "./export-sql.js";
import { describeSqliteError, formatSqliteMessage } from "./sqlite-errors.js";

/** The database file inside a database folder. */
export const D1_DB_FILE = "db.sqlite";
/** Prepared statements kept per connection, by SQL text (least recently used dropped first). */
const STATEMENT_CACHE_SIZE = 200;

/** D1's answers to SQL that contains nothing to run, and to placeholder mismatches (workerd's wording). */
const NO_STATEMENTS = "No SQL statements detected.";
const WRONG_PARAMETER_COUNT = "Wrong number of parameter bindings for SQL query.";
const PARAMETERS_ONLY_LAST =
  "When executing multiple SQL statements in a single call, only the last statement can have parameters.";

/** One row of counters read before and after each query, for its meta. */
const SNAPSHOT_SQL =
  "SELECT total_changes() AS changes, last_insert_rowid() AS lastRowId, page_count * page_size AS size, " +
  "schema_version AS schema FROM pragma_page_count(), pragma_page_size(), pragma_schema_version()";

/**
 * Per file, the store of this thread whose group holds the write lock. Another connection of the
 * same thread (two bindings to one database) commits that group before beginning its own: waiting
 * for the lock would block the very thread that has to release it.
 */
const groupOwners = new Map<string, { commitGroup(): void }>();

/** The write transaction of the current event-loop turn, shared by its write batches. */
interface CommitGroup {
  /** Settles when the transaction has committed (or failed to). */
  committed: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

interface Snapshot {
  changes: number;
  lastRowId: number;
  size: number;
  schema: number;
}

/** Thrown inside a batch to unwind (and roll back) with the failing query's index and D1's text. */
class QueryFailure {
  constructor(
    readonly index: number,
    readonly text: string,
  ) {}
}

export interface SqliteD1StoreOptions {
  /** Source of the time stamps in bookmarks. Default: the system clock. */
  clock?: Clock;
}

/** Opens (creating if needed) the database stored in `dir`. */
export function openSqliteD1Store(dir: string, options: SqliteD1StoreOptions = {}): D1Store {
  return new SqliteD1Store(dir, options.clock ?? systemClock);
}

class SqliteD1Store implements D1Store {
  readonly #db: Database.Database;
  readonly #file: string;
  readonly #clock: Clock;
  readonly #snapshot: Database.Statement;
  readonly #cache = new Map<string, Database.Statement>();
  #bookmarkSeq = 0;
  #closed = false;
  #group: CommitGroup | undefined;

  constructor(dir: string, clock: Clock) {
    this.#clock = clock;
    fs.mkdirSync(dir, { recursive: true });
    this.#file = path.resolve(dir, D1_DB_FILE);
    this.#db = openSqlite(this.#file);
    try {
      this.#db.pragma("foreign_keys = ON"); // D1 enforces foreign keys
      this.#snapshot = this.#db.prepare(SNAPSHOT_SQL);
    } catch (e) {
      this.#db.close();
      throw e;
    }
  }

  async batch(queries: readonly D1Query[], options: D1BatchOptions = {}): Promise<D1BatchOutcome> {
    this.#assertOpen();
    if (queries.length === 0) return { ok: false, error: NO_STATEMENTS };
    const parsed = queries.map((q) => splitStatements(q.sql, { triggerWords: "statement" }));
    const run = () => queries.map((query, i) => {
      const result = this.#runQuery(query, parsed[i]!, i);
      options.onProgress?.(i + 1, queries.length);
      return result;
    });
    const statementCount = parsed.reduce((n, statements) => n + statements.length, 0);
    const keywords = parsed.flatMap((statements) => statements.map((s) => keyword(s.tokens[0])));
    const oneStatement = queries.length === 1 && statementCount <= 1;
    try {
      let results: D1QueryResult[];
      if (keywords.every((k) => READ_KEYWORDS.has(k))) {
        // A batch that only reads needs no write lock (inside an open group it sees that group's writes).
        results = oneStatement ? run() : this.#db.transaction(run).deferred();
      } else if (keywords.some((k) => OUTSIDE_TRANSACTION_KEYWORDS.has(k))) {
        groupOwners.get(this.#file)?.commitGroup();
        results = oneStatement ? run() : this.#db.transaction(run).immediate();
      } else {
        const group = this.#openGroup();
        // Nested in the group's transaction, better-sqlite3 runs this in a savepoint.
        results = this.#db.transaction(run)();
        await group.committed;
      }
      return { ok: true, results, bookmark: this.#nextBookmark() };
    } catch (e) {
      if (e instanceof QueryFailure) return { ok: false, error: e.text, index: e.index };
      // Failing to begin or commit (the write lock stayed busy past SQLITE_BUSY_TIMEOUT_MS, the disk is full …).
      const code = (e as { code?: unknown }).code;
      if (typeof code === "string" && code.startsWith("SQLITE_")) return { ok: false, error: formatSqliteMessage((e as Error).message, code) };
      throw e;
    }
  }

  async dump(): Promise<Uint8Array> {
    this.#assertOpen();
    groupOwners.get(this.#file)?.commitGroup();
    return plainBytes(this.#db.serialize());
  }

  async exportSql(options: D1ExportOptions): Promise<string> {
    this.#assertOpen();
    groupOwners.get(this.#file)?.commitGroup();
    // One read transaction: every table is read from the same snapshot.
    return this.#db.transaction(() => exportSql(this.#db, options)).deferred();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.commitGroup();
    this.#cache.clear();
    this.#db.close();
  }

  /** The current turn's write transaction, begun (taking the write lock) if there is none yet. */
  #openGroup(): CommitGroup {
    if (this.#group) return this.#group;
    groupOwners.get(this.#file)?.commitGroup();
    this.#db.exec("BEGIN IMMEDIATE");
    groupOwners.set(this.#file, this);
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const committed = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    committed.catch(() => {}); // each batch awaiting it sees the failure; nobody else must
    this.#group = { committed, resolve, reject };
    setImmediate(() => this.commitGroup());
    return this.#group;
  }

  /** Commits the open group, if any, and settles its batches. */
  commitGroup(): void {
    const group = this.#group;
    if (!group) return;
    this.#group = undefined;
    groupOwners.delete(this.#file);
    try {
      this.#db.exec("COMMIT");
      group.resolve();
    } catch (e) {
      if (this.#db.inTransaction) this.#db.exec("ROLLBACK");
      group.reject(e);
    }
  }

  /** Runs every statement of one query; the result is the last statement's. */
  #runQuery(query: D1Query, statements: SqlStatement[], index: number): D1QueryResult {
    const fail = (text: string): never => {
      throw new QueryFailure(index, text);
    };
    if (statements.length === 0) fail(NO_STATEMENTS);
    if (Buffer.byteLength(query.sql, "utf8") > D1_MAX_SQL_LENGTH_BYTES) fail(formatSqliteMessage("statement too long", "SQLITE_TOOBIG"));
    const before = this.#snapshot.get() as Snapshot;
    const started = performance.now();
    let columns: string[] = [];
    let rows: D1Value[][] = [];
    for (const [j, statement] of statements.entries()) {
      const last = j === statements.length - 1;
      const violation = checkStatement(statement);
      if (violation) {
        const offset = violation.token ? violation.token.start - statement.base : undefined;
        fail(formatSqliteMessage(violation.message, violation.code, offset));
      }
      const params = parameterSlots(statement.tokens, D1_MAX_BOUND_PARAMETERS);
      if (params.overflow) {
        const message = params.overflow.numbered ? `variable number must be between ?1 and ?${D1_MAX_BOUND_PARAMETERS}` : "too many SQL variables";
        fail(formatSqliteMessage(message, "SQLITE_ERROR", params.overflow.token.start - statement.base));
      }
      let prepared: Database.Statement;
      try {
        prepared = this.#prepare(statement.text);
      } catch (e) {
        return fail(describeSqliteError(e, statement, "prepare", (sql) => this.#prepareError(sql)));
      }
      if (!last && params.count > 0) fail(PARAMETERS_ONLY_LAST);
      const values = last ? query.params : [];
      if (params.count !== values.length) fail(WRONG_PARAMETER_COUNT);
      const args = bindArguments(params.names, values, fail);
      try {
        if (prepared.reader) {
          rows = (prepared.raw(true).all(...args) as unknown[][]).map(readRow);
          columns = prepared.columns().map((c) => c.name);
        } else {
          prepared.run(...args);
          rows = [];
          columns = [];
        }
      } catch (e) {
        fail(describeSqliteError(e, statement, "run", (sql) => this.#prepareError(sql)));
      }
    }
    const duration = performance.now() - started;
    const after = this.#snapshot.get() as Snapshot;
    const changes = after.changes - before.changes;
    const schemaChanged = after.schema !== before.schema;
    return {
      columns,
      rows,
      meta: {
        duration,
        changes,
        last_row_id: after.lastRowId,
        changed_db: changes !== 0 || schemaChanged || after.lastRowId !== before.lastRowId || after.size !== before.size,
        size_after: after.size,
        rows_read: Math.max(rows.length, changes),
        rows_written: changes + (schemaChanged ? 1 : 0),
      },
    };
  }

  /** A prepared statement for `sql`, from the cache when possible. */
  #prepare(sql: string): Database.Statement {
    const cached = this.#cache.get(sql);
    if (cached !== undefined) {
      this.#cache.delete(sql);
      this.#cache.set(sql, cached);
      return cached;
    }
    const statement = this.#db.prepare(sql);
    this.#cache.set(sql, statement);
    if (this.#cache.size > STATEMENT_CACHE_SIZE) this.#cache.delete(this.#cache.keys().next().value!);
    return statement;
  }

  /** SQLite's message for preparing `sql`, or null when it prepares (used to locate syntax errors). */
  #prepareError(sql: string): string | null {
    try {
      this.#db.prepare(sql);
      return null;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }

  #nextBookmark(): string {
    const now = Math.max(0, Math.floor(this.#clock.now()));
    this.#bookmarkSeq = (this.#bookmarkSeq + 1) % 0x1_0000_0000;
    return `${now.toString(16).padStart(12, "0")}-${this.#bookmarkSeq.toString(16).padStart(8, "0")}`;
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error("This D1 database has been closed");
  }
}

/** Statements that only read: a batch made of them runs in a deferred (read) transaction. */
const READ_KEYWORDS = new Set(["SELECT", "VALUES"]);
/** Statements SQLite runs only outside a transaction (or ignores inside one): a batch with them commits the open group first. */
const OUTSIDE_TRANSACTION_KEYWORDS = new Set(["VACUUM", "PRAGMA"]);

/**
 * better-sqlite3's arguments for one statement: values for unnamed indexes (anonymous `?` and
 * indexes no placeholder uses) positionally, the others in an object keyed by name without its
 * first character (`?3` → `3`, `:id` → `id`).
 */
function bindArguments(names: readonly (string | null)[], values: readonly D1Value[], fail: (text: string) => never): unknown[] {
  const positional: unknown[] = [];
  let named: Record<string, unknown> | undefined;
  names.forEach((name, i) => {
    const value = toSqlite(values[i] ?? null, fail);
    if (name === null) positional.push(value);
    else (named ??= {})[name.slice(1)] = value;
  });
  return named === undefined ? positional : [...positional, named];
}

function toSqlite(value: D1Value, fail: (text: string) => never): unknown {
  if (typeof value === "number") return Number.isFinite(value) ? value : null; // as D1's JSON transport does
  if (typeof value === "string") {
    if (Buffer.byteLength(value, "utf8") > D1_MAX_VALUE_SIZE_BYTES) fail(formatSqliteMessage("string or blob too big", "SQLITE_TOOBIG"));
    return value;
  }
  if (value instanceof Uint8Array) {
    if (value.byteLength > D1_MAX_VALUE_SIZE_BYTES) fail(formatSqliteMessage("string or blob too big", "SQLITE_TOOBIG"));
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  return null;
}

/** A row as the store contract wants it: blobs as fresh plain Uint8Arrays, never Node Buffers. */
function readRow(row: unknown[]): D1Value[] {
  for (let i = 0; i < row.length; i++) {
    const value = row[i];
    if (value instanceof Uint8Array) row[i] = plainBytes(value);
  }
  return row as D1Value[];
}

function plainBytes(buf: Uint8Array): Uint8Array {
  const copy = new Uint8Array(buf.byteLength);
  copy.set(buf);
  return copy;
}
