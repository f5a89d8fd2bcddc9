/**
 * SQLite failures as workerd reports them to user code: an `Error` whose message is SQLite's
 * message, ` at offset N` when SQLite points at a token, then `: <result code>` and, when the
 * extended code says more, ` (extended: <extended code>)` — e.g.
 * `UNIQUE constraint failed: users.id: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_PRIMARYKEY)`.
 *
 * better-sqlite3 hides `sqlite3_error_offset()`, so the offset is found again here, in UTF-8 bytes
 * from where SQLite's prepare loop started reading the statement:
 * - `near "X": syntax error` — exactly: the parser fails at the first token it cannot accept, which
 *   depends only on the text before it, so the right `X` is the first one at which the statement cut
 *   just after it fails with the same message;
 * - messages SQLite words with a token (`no such column`, `no such function`, `table X already
 *   exists`, …) — the first token spelled like the name (usually the right one).
 * Other messages carry no offset, as in SQLite (`no such table: x` has none).
 */
import { Buffer } from "node:buffer";
import { storageError } from "./errors.js";
import { identifierName, type SqlStatement, type SqlToken } from "../../../shared/sql-text.js";

/** Prepares `sql` and returns SQLite's error message, or null when it prepares. */
export type PrepareProbe = (sql: string) => string | null;

/** What better-sqlite3 throws for a SQLite failure (`SqliteError`). */
interface SqliteFailure {
  message: string;
  code: string;
}

const WRONG_BINDINGS_MESSAGE = "Wrong number of parameter bindings for SQL query.";
/** better-sqlite3's own binding errors, all meaning the values did not fit the placeholders. */
const BINDING_ERROR = /^(Too (few|many) parameter values were provided|Missing named parameter)/;

const NAMED_TOKEN_PATTERNS: { pattern: RegExp; call: boolean }[] = [
  { pattern: /^no such column: "?([^"\s]+)"?/, call: false },
  { pattern: /^ambiguous column name: (\S+)/, call: false },
  { pattern: /^no such function: (\S+)/, call: true },
  { pattern: /^wrong number of arguments to function ([^(\s]+)\(\)/, call: true },
  { pattern: /^misuse of (?:aggregate|window) function ([^(\s]+)\(\)/, call: true },
  { pattern: /^(?:table|view|trigger) (\S+) already exists/, call: false },
];

export function wrongBindingsError(): Error {
  return storageError("Error", WRONG_BINDINGS_MESSAGE);
}

/** Turns what better-sqlite3 threw while preparing or running `statement` into the error user code sees. */
export function toSqlError(error: unknown, sql: string, statement: SqlStatement, probe: PrepareProbe): unknown {
  if (error instanceof RangeError && BINDING_ERROR.test(error.message)) return wrongBindingsError();
  if (!isSqliteFailure(error)) return error;
  return storageError("Error", formatFailure(error, errorOffset(error.message, sql, statement, probe)));
}

/** A SQLite failure outside any statement of the user's (a COMMIT) as user code sees it; other errors unchanged. */
export function toStorageFailure(error: unknown): unknown {
  return isSqliteFailure(error) ? storageError("Error", formatFailure(error, null)) : error;
}

function formatFailure(error: SqliteFailure, offset: number | null): string {
  const extended = error.code;
  const primary = extended.split("_").slice(0, 2).join("_");
  const at = offset === null ? "" : ` at offset ${offset}`;
  const detail = extended === primary ? "" : ` (extended: ${extended})`;
  return `${error.message}${at}: ${primary}${detail}`;
}

function isSqliteFailure(error: unknown): error is SqliteFailure {
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === "string" && code.startsWith("SQLITE_");
}

/** Byte offset of the token an error names, counted from where SQLite started reading the statement. */
function errorOffset(message: string, sql: string, statement: SqlStatement, probe: PrepareProbe): number | null {
  const bytesTo = (token: SqlToken) => Buffer.byteLength(sql.slice(statement.base, token.start), "utf8");
  const syntax = /^near "(.*)": syntax error$/s.exec(message);
  if (syntax) {
    const candidates = statement.tokens.filter((t) => t.text === syntax[1]);
    const found = candidates.find((t) => probe(sql.slice(statement.base, t.end)) === message) ?? candidates[0];
    return found === undefined ? null : bytesTo(found);
  }
  const unrecognized = /^unrecognized token: "(.*)"$/s.exec(message);
  if (unrecognized) {
    const at = sql.indexOf(unrecognized[1]!, statement.base);
    return at === -1 ? null : Buffer.byteLength(sql.slice(statement.base, at), "utf8");
  }
  for (const { pattern, call } of NAMED_TOKEN_PATTERNS) {
    const match = pattern.exec(message);
    if (!match) continue;
    const name = match[1]!.split(".")[0]!.toLowerCase();
    const tokens = statement.tokens;
    const index = tokens.findIndex(
      (t, i) => (t.kind === "word" || t.kind === "quoted") && identifierName(t).toLowerCase() === name && (!call || tokens[i + 1]?.text === "("),
    );
    return index === -1 ? null : bytesTo(tokens[index]!);
  }
  return null;
}
