/**
 * SQLite errors as D1 reports them (after its `D1_ERROR: ` prefix):
 *
 *     <SQLite's message>[ at offset <n>]: SQLITE_<CODE>[ (extended: SQLITE_<CODE>_<SUB>)]
 *
 * e.g. `near "SELEC": syntax error at offset 0: SQLITE_ERROR`, or
 * `UNIQUE constraint failed: t.id: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_PRIMARYKEY)`.
 *
 * The offset is what `sqlite3_error_offset()` returns after a failed prepare: the position of the
 * token the message names, counted from where workerd's multi-statement prepare started reading
 * the statement. better-sqlite3 does not expose that call, so it is recomputed here for the
 * messages SQLite attaches an offset to: syntax errors (found by preparing ever longer prefixes of
 * the statement until SQLite reports the same error) and errors that name a column, function or
 * object (found by locating that name among the statement's tokens). Other messages carry none.
 */
import { identifierName, keyword, type SqlStatement, type SqlToken } from "../../../shared/sql-text.js";

/** What SQLite calls an error: better-sqlite3's SqliteError carries the extended code name in `code`. */
interface SqliteErrorLike {
  message: string;
  code: string;
}

function isSqliteError(error: unknown): error is SqliteErrorLike {
  return (
    typeof error === "object" &&
    error !== null &&
    typeof (error as { code?: unknown }).code === "string" &&
    (error as { code: string }).code.startsWith("SQLITE_") &&
    typeof (error as { message?: unknown }).message === "string"
  );
}

/** `message[ at offset n]: PRIMARY[ (extended: EXTENDED)]`, the one place that shapes a SQLite error. */
export function formatSqliteMessage(message: string, code: string | undefined, offset?: number): string {
  const located = offset === undefined ? message : `${message} at offset ${offset}`;
  if (code === undefined) return located;
  const primary = code.split("_").slice(0, 2).join("_");
  return primary === code ? `${located}: ${code}` : `${located}: ${primary} (extended: ${code})`;
}

/**
 * The D1 text of an error thrown while preparing (`phase: "prepare"`) or running a statement.
 * `tryPrepare` prepares SQL and returns SQLite's error message, or null when it prepares; it is
 * used only to locate syntax errors.
 */
export function describeSqliteError(
  error: unknown,
  statement: SqlStatement,
  phase: "prepare" | "run",
  tryPrepare: (sql: string) => string | null,
): string {
  if (!isSqliteError(error)) return error instanceof Error ? error.message : String(error);
  const offset = phase === "prepare" ? errorOffset(error.message, statement, tryPrepare) : undefined;
  return formatSqliteMessage(error.message, error.code, offset);
}

/** Messages whose named thing SQLite records the offset of (`%T` tokens and expressions in its printf). */
const NAMED_ERRORS: RegExp[] = [
  /^no such column: (.+)$/s,
  /^ambiguous column name: (.+)$/s,
  /^no such function: (.+)$/s,
  /^wrong number of arguments to function (.+)\(\)$/s,
  /^misuse of aggregate function (.+)\(\)$/s,
  /^misuse of window function (.+)\(\)$/s,
  /^(?:table|index|view|trigger) (.+) already exists$/s,
];

const SYNTAX_ERRORS: RegExp[] = [/^near ".*": syntax error$/s, /^unrecognized token: ".*"$/s];

function errorOffset(message: string, statement: SqlStatement, tryPrepare: (sql: string) => string | null): number | undefined {
  const relative = (token: SqlToken) => token.start - statement.base;
  if (SYNTAX_ERRORS.some((re) => re.test(message))) {
    const token = syntaxErrorToken(message, statement, tryPrepare);
    return token === undefined ? undefined : relative(token);
  }
  for (const re of NAMED_ERRORS) {
    const name = re.exec(message)?.[1];
    if (name === undefined) continue;
    const token = findName(statement.tokens, name);
    if (token === undefined) return undefined;
    // `UPDATE t SET nope = 1`: the SET list's unknown column is reported without an offset.
    if (keyword(statement.tokens[0]) === "UPDATE" && followedByEquals(statement.tokens, token, name)) return undefined;
    return relative(token);
  }
  return undefined;
}

/**
 * The token a syntax error is at: the first token t such that the statement cut just after t
 * fails to prepare with the very same message (before it, the cut text is only "incomplete").
 */
function syntaxErrorToken(message: string, statement: SqlStatement, tryPrepare: (sql: string) => string | null): SqlToken | undefined {
  const tokens = statement.tokens;
  const failsAt = (k: number) => tryPrepare(statement.text.slice(0, tokens[k]!.end - statement.start)) === message;
  let lo = 0;
  let hi = tokens.length - 1;
  if (hi < 0 || !failsAt(hi)) return undefined;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (failsAt(mid)) hi = mid;
    else lo = mid + 1;
  }
  return tokens[lo];
}

/** The first token of the first occurrence of `name` (possibly `schema.table.column`) among `tokens`. */
function findName(tokens: readonly SqlToken[], name: string): SqlToken | undefined {
  const parts = name.split(".").map((p) => p.toLowerCase());
  const isName = (t: SqlToken | undefined, part: string) =>
    t !== undefined && (t.kind === "word" || t.kind === "quoted") && identifierName(t).toLowerCase() === part;
  outer: for (let i = 0; i < tokens.length; i++) {
    for (let p = 0; p < parts.length; p++) {
      if (p > 0 && tokens[i + 2 * p - 1]?.text !== ".") continue outer;
      if (!isName(tokens[i + 2 * p], parts[p]!)) continue outer;
    }
    return tokens[i];
  }
  return undefined;
}

function followedByEquals(tokens: readonly SqlToken[], first: SqlToken, name: string): boolean {
  const i = tokens.indexOf(first) + 2 * (name.split(".").length - 1);
  return tokens[i + 1]?.text === "=";
}
