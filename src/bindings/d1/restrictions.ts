/**
 * D1's restrictions on the SQL a Worker may run, checked statement by statement before SQLite sees
 * it. Cloudflare enforces them with SQLite's authorizer (workerd `src/workerd/util/sqlite.c++`,
 * `SqliteDatabase::isAuthorized`); better-sqlite3 has no authorizer hook, so Hearth reads the
 * statement's tokens instead and reports the same messages:
 *
 * - explicit transactions (`BEGIN`, `COMMIT`, `END`, `ROLLBACK`, `SAVEPOINT`, `RELEASE`): rejected
 *   with workerd's message telling to use the JavaScript API (`batch()` for D1);
 * - `ATTACH` / `DETACH`, temporary tables/views/triggers, virtual tables other than FTS5: "not authorized";
 * - `PRAGMA`: only those on D1's list (https://developers.cloudflare.com/d1/sql-api/sql-statements/),
 *   boolean ones only with a boolean value, object ones only with an object name;
 * - names starting `_cf_` (reserved for Cloudflare's internal tables): "not authorized";
 * - functions that reveal the SQLite build (`sqlite_version()` …): "not authorized to use function".
 *
 * Not reproduced: workerd's allowlist of every other SQL function (better-sqlite3's SQLite has a
 * few extra ones, such as `concat()`, that D1 may refuse).
 *
 * Pure module.
 */
import { identifierName, keyword, type SqlStatement, type SqlToken } from "../../shared/sql-text.js";

/** A rule a statement breaks: the message D1 reports (before `: <code>`), its code, and the token it points at. */
export interface D1Violation {
  message: string;
  /** SQLite's result code name, e.g. `SQLITE_AUTH`; absent for workerd's own messages. */
  code?: string;
  /** The token SQLite would report the error offset of. */
  token?: SqlToken;
}

/** workerd's message for SQL-level transactions (`SqlStorage::allowTransactions`). */
export const D1_TRANSACTION_MESSAGE =
  "To execute a transaction, please use the state.storage.transaction() or state.storage.transactionSync() APIs " +
  "instead of the SQL BEGIN TRANSACTION or SAVEPOINT statements. The JavaScript API is safer because it will " +
  "automatically roll back on exceptions, and because it interacts correctly with Durable Objects' automatic " +
  "atomic write coalescing.";

/** Names D1 keeps for its own tables (workerd `isAllowedName`). */
export const D1_RESERVED_NAME_PREFIX = "_cf_";

const TRANSACTION_KEYWORDS = new Set(["BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"]);

/** Functions D1 does not let user SQL call (they reveal the SQLite build; workerd leaves them off its allowlist). */
const DENIED_FUNCTIONS = new Set(["sqlite_version", "sqlite_source_id", "sqlite_compileoption_get", "sqlite_compileoption_used", "sqlite_offset"]);

/** How a PRAGMA may be used: without a value, with a boolean, with an object (table/index) name, or either way. */
type PragmaUse = "no-arg" | "boolean" | "object" | "optional-object";

/** The PRAGMAs D1 allows (workerd `ALLOWED_PRAGMAS` plus the ones D1's docs list). */
const ALLOWED_PRAGMAS = new Map<string, PragmaUse>([
  ["data_version", "no-arg"],
  ["optimize", "no-arg"],
  ["quick_check", "no-arg"],
  ["case_sensitive_like", "boolean"],
  ["foreign_keys", "boolean"],
  ["defer_foreign_keys", "boolean"],
  ["ignore_check_constraints", "boolean"],
  ["legacy_alter_table", "boolean"],
  ["recursive_triggers", "boolean"],
  ["reverse_unordered_selects", "boolean"],
  ["table_list", "optional-object"],
  ["foreign_key_check", "optional-object"],
  ["table_info", "object"],
  ["table_xinfo", "object"],
  ["index_info", "object"],
  ["index_list", "object"],
  ["index_xinfo", "object"],
  ["foreign_key_list", "object"],
]);

/** Spellings SQLite accepts for a boolean PRAGMA value (compared by prefix, case-insensitively, as workerd does). */
const BOOLEAN_WORDS = ["true", "false", "yes", "no", "on", "off", "1", "0"];

const notAuthorized = (): D1Violation => ({ message: "not authorized", code: "SQLITE_AUTH" });

/** The first D1 rule `statement` breaks, or null when D1 would run it. */
export function checkStatement(statement: SqlStatement): D1Violation | null {
  const tokens = statement.tokens;
  const first = keyword(tokens[0]);
  if (TRANSACTION_KEYWORDS.has(first)) return { message: D1_TRANSACTION_MESSAGE };
  if (first === "ATTACH" || first === "DETACH") return notAuthorized();
  if (first === "PRAGMA") return checkPragma(tokens.slice(1));
  if (first === "CREATE") {
    const second = keyword(tokens[1]);
    if (second === "TEMP" || second === "TEMPORARY") return notAuthorized();
    if (second === "VIRTUAL" && !usesFts5(tokens)) return notAuthorized();
  }
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if ((token.kind === "word" || token.kind === "quoted") && identifierName(token).startsWith(D1_RESERVED_NAME_PREFIX)) {
      return notAuthorized();
    }
    if (token.kind === "word" && tokens[i + 1]?.text === "(" && DENIED_FUNCTIONS.has(token.text.toLowerCase())) {
      return { message: `not authorized to use function: ${token.text}`, code: "SQLITE_AUTH", token };
    }
  }
  return null;
}

/** `CREATE VIRTUAL TABLE [IF NOT EXISTS] [schema.]name USING fts5(…)`: the only virtual tables D1 allows. */
function usesFts5(tokens: readonly SqlToken[]): boolean {
  const using = tokens.findIndex((t) => keyword(t) === "USING");
  const module = using === -1 ? undefined : tokens[using + 1];
  return module !== undefined && identifierName(module).toLowerCase() === "fts5";
}

/** Checks `[schema.]name [= value | (value)]`, the tokens after PRAGMA. */
function checkPragma(tokens: SqlToken[]): D1Violation | null {
  let rest = tokens;
  if (rest[1]?.text === ".") {
    if (identifierName(rest[0]!).toLowerCase() !== "main") return notAuthorized();
    rest = rest.slice(2);
  }
  const nameToken = rest[0];
  if (nameToken === undefined) return null; // "PRAGMA" alone: SQLite reports the syntax error
  const use = ALLOWED_PRAGMAS.get(identifierName(nameToken).toLowerCase());
  if (use === undefined) return notAuthorized();
  let valueTokens = rest.slice(1);
  if (valueTokens[0]?.text === "=") valueTokens = valueTokens.slice(1);
  else if (valueTokens[0]?.text === "(") valueTokens = valueTokens.slice(1, valueTokens[valueTokens.length - 1]?.text === ")" ? -1 : undefined);
  const hasValue = valueTokens.length > 0;
  const value = valueTokens.map((t) => (t.kind === "quoted" || t.kind === "string" ? t.text.slice(1, -1) : t.text)).join("");
  switch (use) {
    case "no-arg":
      return hasValue ? notAuthorized() : null;
    case "boolean":
      return !hasValue || BOOLEAN_WORDS.some((word) => value.toLowerCase().startsWith(word)) ? null : notAuthorized();
    case "object":
      return hasValue && !value.startsWith(D1_RESERVED_NAME_PREFIX) ? null : notAuthorized();
    case "optional-object":
      return !value.startsWith(D1_RESERVED_NAME_PREFIX) ? null : notAuthorized();
  }
}
