/**
 * The storage interface behind `D1Database`: what a D1 driver must do, and nothing more.
 *
 * The api (api.worker.ts) converts the values user code binds, shapes results as D1Result objects
 * and makes the errors user code sees; a store runs SQL. Drivers live in ./drivers/ and each one
 * runs the suite in ./store.case.ts.
 *
 * Contract (every driver, every method):
 *
 * - **Plain data in and out.** Arguments and results are structured-cloneable (strings, numbers,
 *   null, `Uint8Array`, plain objects and arrays), so a store can sit on the other side of a thread
 *   or network boundary later. Every method returns a Promise; `batch` never rejects for a SQL
 *   problem, it reports it in its outcome (it rejects only when the store itself fails or is closed).
 * - **Queries.** A query's `sql` may hold several statements separated by `;`: they all run, in
 *   order, and the query's result is that of the last one. Only the last statement may have
 *   parameters. `params[i]` binds SQLite parameter index i+1, whatever placeholder spelling the SQL
 *   uses (`?`, `?NNN`, `:name` …); the number of values must equal the statement's parameter count.
 *   Numbers bind as SQLite REAL (as D1 binds every JavaScript number), `Uint8Array` as BLOB.
 * - **Batches are atomic.** `batch` runs its queries in order inside one transaction: either every
 *   query's changes are committed, or none are (a failing query rolls back the ones before it).
 *   When `batch` resolves with `ok: true` the changes are durable: they survive a crash of the
 *   process and a power loss of the machine.
 * - **D1's rules.** A store refuses what D1 refuses (explicit transactions, ATTACH, PRAGMAs off D1's
 *   list, `_cf_` names; see ../restrictions.ts) and enforces the limits of ../limits.ts, with D1's
 *   messages.
 * - **Errors** are text as D1 reports it after its `D1_ERROR: ` prefix: SQLite's message, the error
 *   offset when SQLite knows one, then `: SQLITE_<CODE>` and ` (extended: SQLITE_<CODE>_<SUB>)`
 *   when the extended code differs, e.g. `near "SELEC": syntax error at offset 0: SQLITE_ERROR`.
 * - **Values read** are `null`, `number` (INTEGER and REAL; integers beyond 2^53 lose precision, as
 *   on D1), `string` or `Uint8Array` (a fresh copy the caller owns).
 */

/** A value bound to, or read from, SQLite. */
export type D1Value = null | number | string | Uint8Array;

export interface D1Query {
  sql: string;
  params: D1Value[];
}

/** What D1 reports about one query in `meta`. */
export interface D1QueryMeta {
  /** Wall time the query took, in milliseconds. */
  duration: number;
  /** Rows inserted, updated or deleted (SQLite's `total_changes()` difference). */
  changes: number;
  /** The connection's last inserted rowid after the query (kept across read queries, as on D1). */
  last_row_id: number;
  /** Whether the query changed the database (rows, schema, last rowid or size). */
  changed_db: boolean;
  /** Database size after the query, in bytes. */
  size_after: number;
  /** Rows the query read (an estimate: rows returned, or rows changed). */
  rows_read: number;
  /** Rows the query wrote (rows changed, plus one for a schema change). */
  rows_written: number;
}

export interface D1QueryResult {
  /** Result column names in order; duplicates kept. Empty for statements that return no rows. */
  columns: string[];
  /** One array per row, one value per column. */
  rows: D1Value[][];
  meta: D1QueryMeta;
}

export type D1BatchOutcome =
  | {
      ok: true;
      /** One result per query, in order. */
      results: D1QueryResult[];
      /**
       * A bookmark naming the database state after the batch: strings that compare greater
       * (`localeCompare`) name later states.
       */
      bookmark: string;
    }
  | {
      ok: false;
      /** The error text (see "Errors" above). */
      error: string;
      /** Index of the query that failed; absent when the batch as a whole was refused. */
      index?: number;
    };

export interface D1BatchOptions {
  /**
   * Called after each query of the batch with the number done and the total. Purely informative:
   * a driver across a boundary may call it late, or never.
   */
  onProgress?(done: number, total: number): void;
}

/** What `exportSql` writes. */
export interface D1ExportOptions {
  /** Only these tables (and their indexes and triggers); empty or absent = every table, view, index and trigger. */
  tables?: readonly string[];
  /** Write CREATE statements (`--no-schema` turns this off). */
  schema: boolean;
  /** Write INSERT statements (`--no-data` turns this off). */
  data: boolean;
}

export interface D1Store {
  /** Runs `queries` in one transaction, all or nothing; see the contract above. */
  batch(queries: readonly D1Query[], options?: D1BatchOptions): Promise<D1BatchOutcome>;
  /** The whole database as a SQLite file image, from one consistent snapshot. */
  dump(): Promise<Uint8Array>;
  /** The database as SQL text that recreates it (`wrangler d1 export`), from one consistent snapshot. */
  exportSql(options: D1ExportOptions): Promise<string>;
  /** Releases the database. Every other method rejects after this; closing twice is fine. */
  close(): Promise<void>;
}
