/**
 * `D1Database` as user code sees it: the classes of `@cloudflare/workers-types` (D1Database,
 * D1DatabaseSession, D1PreparedStatement), their result shapes and Cloudflare's exact errors. SQL
 * runs in a `D1Store` handed in by binding.ts; this file never imports a driver or a Node module
 * (it runs in the Worker realm).
 *
 * Behaviour follows workerd's `src/cloudflare/internal/d1-api.ts` (the client every Worker gets)
 * and what wrangler's local D1 answers through it: values are converted at `bind()` time,
 * `first()`/`all()`/`raw()`/`run()` send one query, `batch()` sends them all at once (one
 * transaction), `exec()` sends every line as its own query. Results carry `results` always, BLOBs
 * come back as arrays of byte values, and every error is an `Error` whose message starts with a
 * D1 prefix and whose `cause` holds the text after it.
 */
import { splitStatements } from "../../shared/sql-text.js";
import type { D1BatchOutcome, D1Query, D1QueryMeta, D1QueryResult, D1Store, D1Value } from "./store.js";

// ---------------------------------------------------------------------------------------------
// Types, as declared by @cloudflare/workers-types (D1Database and friends).
// ---------------------------------------------------------------------------------------------

export interface D1Meta {
  duration: number;
  size_after: number;
  rows_read: number;
  rows_written: number;
  last_row_id: number;
  changed_db: boolean;
  changes: number;
  served_by?: string;
  served_by_region?: string;
  served_by_primary?: boolean;
  timings?: { sql_duration_ms: number };
  total_attempts?: number;
}

export interface D1Response {
  success: true;
  meta: D1Meta & Record<string, unknown>;
  error?: never;
}

export type D1Result<T = unknown> = D1Response & { results: T[] };

export interface D1ExecResult {
  count: number;
  duration: number;
}

export type D1SessionConstraint = "first-primary" | "first-unconstrained";
export type D1SessionBookmark = string;

export interface D1PreparedStatement {
  bind(...values: unknown[]): D1PreparedStatement;
  first<T = unknown>(colName: string): Promise<T | null>;
  first<T = Record<string, unknown>>(): Promise<T | null>;
  run<T = Record<string, unknown>>(): Promise<D1Result<T>>;
  all<T = Record<string, unknown>>(): Promise<D1Result<T>>;
  raw<T = unknown[]>(options: { columnNames: true }): Promise<[string[], ...T[]]>;
  raw<T = unknown[]>(options?: { columnNames?: false }): Promise<T[]>;
}

export interface D1DatabaseSession {
  prepare(query: string): D1PreparedStatement;
  batch<T = unknown>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]>;
  /** The latest bookmark this session saw, or null before its first query (or for a constraint). */
  getBookmark(): D1SessionBookmark | null;
}

export interface D1Database {
  prepare(query: string): D1PreparedStatement;
  batch<T = unknown>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]>;
  exec(query: string): Promise<D1ExecResult>;
  withSession(constraintOrBookmark?: D1SessionBookmark | D1SessionConstraint): D1DatabaseSession;
  /** @deprecated D1 keeps this for its alpha databases only; Hearth returns the SQLite file. */
  dump(): Promise<ArrayBuffer>;
}

// ---------------------------------------------------------------------------------------------
// Errors: the one helper every D1 error user code sees is made by.
// ---------------------------------------------------------------------------------------------

/** The prefixes D1 errors carry (workerd `d1-api.ts`). */
export type D1ErrorKind = "D1_ERROR" | "D1_EXEC_ERROR" | "D1_TYPE_ERROR" | "D1_COLUMN_NOTFOUND" | "D1_DUMP_ERROR" | "D1_SESSION_ERROR";

/** `new Error("<KIND>: <message>", { cause: new Error(<cause>) })`; the cause defaults to the message. */
export function d1Error(kind: D1ErrorKind, message: string, cause: string = message): Error {
  return new Error(`${kind}: ${message}`, { cause: new Error(cause) });
}

// ---------------------------------------------------------------------------------------------

const FIRST_PRIMARY: D1SessionConstraint = "first-primary";
const FIRST_UNCONSTRAINED: D1SessionConstraint = "first-unconstrained";

export interface D1ApiOptions {
  /** `meta.served_by` of every result. Default "hearth.db" (wrangler's local D1 says "miniflare.db"). */
  servedBy?: string;
}

/** Makes the `D1Database` that runs its SQL in `store`. */
export function createD1Api(store: D1Store, options: D1ApiOptions = {}): D1Database {
  return new Database(new Channel(store, null, options.servedBy ?? "hearth.db"));
}

/**
 * The path from statements to the store, with the session's bookmark. `bookmark === null` is the
 * database's own channel: it always reads the primary and keeps no bookmark.
 */
class Channel {
  constructor(
    readonly store: D1Store,
    private bookmarkOrConstraint: string | null,
    readonly servedBy: string,
  ) {}

  /** Runs the queries in one transaction; throws D1_ERROR on failure. */
  async query(queries: D1Query[]): Promise<D1QueryResult[]> {
    const outcome = await this.send(queries);
    if (!outcome.ok) throw d1Error("D1_ERROR", outcome.error);
    return outcome.results;
  }

  async send(queries: D1Query[]): Promise<D1BatchOutcome> {
    let outcome: D1BatchOutcome;
    try {
      outcome = await this.store.batch(queries);
    } catch (e) {
      throw d1Error("D1_ERROR", (e as Error)?.message || "Something went wrong");
    }
    if (outcome.ok) this.#observe(outcome.bookmark);
    return outcome;
  }

  getBookmark(): string | null {
    const value = this.bookmarkOrConstraint;
    return value === null || value === FIRST_PRIMARY || value === FIRST_UNCONSTRAINED ? null : value;
  }

  /** Keeps the latest bookmark seen (queries of one session may finish out of order). */
  #observe(bookmark: string): void {
    if (this.bookmarkOrConstraint === null || bookmark === "") return;
    const current = this.getBookmark();
    if (current === null || current.localeCompare(bookmark) < 0) this.bookmarkOrConstraint = bookmark;
  }

  result(result: D1QueryResult): D1Result<Record<string, unknown>> {
    return { success: true, meta: this.meta(result.meta), results: result.rows.map((row) => rowObject(result.columns, row)) };
  }

  meta(meta: D1QueryMeta): D1Meta & Record<string, unknown> {
    return {
      served_by: this.servedBy,
      served_by_primary: true,
      timings: { sql_duration_ms: meta.duration },
      duration: meta.duration,
      changes: meta.changes,
      last_row_id: meta.last_row_id,
      changed_db: meta.changed_db,
      size_after: meta.size_after,
      rows_read: meta.rows_read,
      rows_written: meta.rows_written,
      total_attempts: 1,
    };
  }
}

/** Statements made by this module, with the SQL and values they carry (a brand, not `instanceof`). */
const statementData = new WeakMap<object, { channel: Channel; query: D1Query }>();

function queryOf(statement: unknown): D1Query {
  const data = typeof statement === "object" && statement !== null ? statementData.get(statement) : undefined;
  if (data === undefined) throw new TypeError("D1 batch() expects an array of statements made by prepare().");
  return data.query;
}

async function runBatch<T>(channel: Channel, statements: D1PreparedStatement[]): Promise<D1Result<T>[]> {
  if (!Array.isArray(statements)) throw new TypeError("D1 batch() expects an array of statements made by prepare().");
  const results = await channel.query(statements.map(queryOf));
  return results.map((r) => channel.result(r) as D1Result<T>);
}

class Database implements D1Database {
  readonly #channel: Channel;

  constructor(channel: Channel) {
    this.#channel = channel;
  }

  prepare(query: string): D1PreparedStatement {
    return new PreparedStatement(this.#channel, String(query), []);
  }

  batch<T = unknown>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]> {
    return runBatch(this.#channel, statements);
  }

  /** Every line of the (trimmed) input is one query; all of them run in one transaction. */
  async exec(query: string): Promise<D1ExecResult> {
    const lines = String(query).trim().split("\n");
    const sent = lines.map((sql, line) => ({ sql, line })).filter((l) => splitStatements(l.sql, { triggerWords: "statement" }).length > 0);
    const failure = (line: number, error: string) => d1Error("D1_EXEC_ERROR", `Error in line ${line + 1}: ${lines[line]}: ${error}`);
    if (sent.length === 0) throw failure(0, "No SQL statements detected.");
    const outcome = await this.#channel.send(sent.map((l) => ({ sql: l.sql, params: [] })));
    if (!outcome.ok) throw failure(sent[outcome.index ?? 0]!.line, outcome.error);
    return { count: outcome.results.length, duration: outcome.results.reduce((sum, r) => sum + r.meta.duration, 0) };
  }

  withSession(constraintOrBookmark?: D1SessionBookmark | D1SessionConstraint): D1DatabaseSession {
    let value = constraintOrBookmark?.trim();
    if (value === undefined || value === "") value = FIRST_UNCONSTRAINED;
    const channel = this.#channel;
    return new DatabaseSession(new Channel(channel.store, value, channel.servedBy));
  }

  async dump(): Promise<ArrayBuffer> {
    let bytes: Uint8Array;
    try {
      bytes = await this.#channel.store.dump();
    } catch (e) {
      throw d1Error("D1_DUMP_ERROR", (e as Error)?.message ?? String(e));
    }
    const out = new ArrayBuffer(bytes.byteLength);
    new Uint8Array(out).set(bytes);
    return out;
  }
}

class DatabaseSession implements D1DatabaseSession {
  readonly #channel: Channel;

  constructor(channel: Channel) {
    this.#channel = channel;
  }

  prepare(query: string): D1PreparedStatement {
    return new PreparedStatement(this.#channel, String(query), []);
  }

  batch<T = unknown>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]> {
    return runBatch(this.#channel, statements);
  }

  getBookmark(): D1SessionBookmark | null {
    return this.#channel.getBookmark();
  }
}

class PreparedStatement implements D1PreparedStatement {
  /** The SQL, as workerd exposes it. */
  readonly statement: string;
  /** The converted values, as workerd exposes them. */
  readonly params: D1Value[];
  readonly #channel: Channel;

  constructor(channel: Channel, statement: string, params: D1Value[]) {
    this.#channel = channel;
    this.statement = statement;
    this.params = params;
    statementData.set(this, { channel, query: { sql: statement, params } });
  }

  /** A new statement with these values (this one is unchanged); unsupported values throw at once. */
  bind(...values: unknown[]): D1PreparedStatement {
    return new PreparedStatement(this.#channel, this.statement, values.map(bindValue));
  }

  first<T = unknown>(colName: string): Promise<T | null>;
  first<T = Record<string, unknown>>(): Promise<T | null>;
  async first(colName?: string): Promise<unknown> {
    const result = await this.#run();
    const row = result.rows[0];
    if (row === undefined) return null;
    const object = rowObject(result.columns, row);
    if (colName === undefined) return object;
    if (!Object.prototype.hasOwnProperty.call(object, colName) || object[colName] === undefined) {
      throw d1Error("D1_COLUMN_NOTFOUND", `Column not found (${colName})`, "Column not found");
    }
    return object[colName];
  }

  async run<T = Record<string, unknown>>(): Promise<D1Result<T>> {
    return this.#channel.result(await this.#run()) as D1Result<T>;
  }

  async all<T = Record<string, unknown>>(): Promise<D1Result<T>> {
    return this.#channel.result(await this.#run()) as D1Result<T>;
  }

  raw<T = unknown[]>(options: { columnNames: true }): Promise<[string[], ...T[]]>;
  raw<T = unknown[]>(options?: { columnNames?: false }): Promise<T[]>;
  async raw(options?: { columnNames?: boolean }): Promise<unknown[]> {
    const result = await this.#run();
    const rows = result.rows.map((row) => row.map(outputValue));
    return options?.columnNames ? [[...result.columns], ...rows] : rows;
  }

  async #run(): Promise<D1QueryResult> {
    const [result] = await this.#channel.query([{ sql: this.statement, params: this.params }]);
    return result!;
  }
}

/** A bound value as D1 accepts it (workerd `D1PreparedStatement.bind`), else D1_TYPE_ERROR. */
function bindValue(value: unknown): D1Value {
  const type = typeof value;
  if (type === "number" || type === "string") return value as number | string;
  if (type === "boolean") return value ? 1 : 0;
  if (type === "object") {
    if (value === null) return null;
    if (Array.isArray(value) && value.every((b) => typeof b === "number" && b >= 0 && b < 256)) return Uint8Array.from(value as number[]);
    if (Object.prototype.toString.call(value) === "[object ArrayBuffer]") return new Uint8Array((value as ArrayBuffer).slice(0));
    if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
  }
  // `${value}` throws for a Symbol, as in workerd (a conversion TypeError instead of D1_TYPE_ERROR).
  throw d1Error("D1_TYPE_ERROR", `Type '${type}' not supported for value '${value as string}'`);
}

/** A value as D1 returns it: BLOBs as arrays of byte values; non-finite numbers as null (D1's JSON transport). */
function outputValue(value: D1Value): unknown {
  if (ArrayBuffer.isView(value)) return Array.from(value as Uint8Array);
  if (typeof value === "number" && !Number.isFinite(value)) return null;
  return value;
}

/** A row as an object; for duplicate column names the last value wins, as on D1. */
function rowObject(columns: readonly string[], row: readonly D1Value[]): Record<string, unknown> {
  return Object.fromEntries(columns.map((name, i) => [name, outputValue(row[i] ?? null)]));
}
