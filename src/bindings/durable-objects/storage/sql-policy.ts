/**
 * What user SQL may not do, decided per statement before it is prepared — the checks workerd's
 * SQLite authorizer makes (`util/sqlite.c++`), done on tokens because better-sqlite3 exposes no
 * authorizer hook:
 * - transaction control (BEGIN, COMMIT, END, ROLLBACK, SAVEPOINT, RELEASE) → the error pointing to
 *   `transaction()` / `transactionSync()`;
 * - names reserved for the platform (`_cf_…`, and Hearth's own tables in any case), ATTACH/DETACH,
 *   temporary tables, and PRAGMAs outside workerd's list → `not authorized: SQLITE_AUTH`.
 * Not enforced: workerd's allowlist of SQL functions.
 */
import { storageError } from "./errors.js";
import { HEARTH_TABLES } from "./object-database.js";
import { identifierName, keyword, type SqlStatement, type SqlToken } from "../../../shared/sql-text.js";

const TRANSACTION_MESSAGE =
  "To execute a transaction, please use the state.storage.transaction() or state.storage.transactionSync() " +
  "APIs instead of the SQL BEGIN TRANSACTION or SAVEPOINT statements. The JavaScript API is safer because it " +
  "will automatically roll back on exceptions, and because it interacts correctly with Durable Objects' " +
  "automatic atomic write coalescing.";
const NOT_AUTHORIZED_MESSAGE = "not authorized: SQLITE_AUTH";
const TRANSACTION_KEYWORDS = new Set(["BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"]);
const HEARTH_TABLE_NAMES = new Set(HEARTH_TABLES.map((name) => name.toLowerCase()));

/** PRAGMAs workerd lets user code run, by the argument each takes. */
const PRAGMAS: Record<string, "none" | "boolean" | "object" | "any"> = {
  table_list: "any",
  table_info: "object",
  data_version: "none",
  case_sensitive_like: "boolean",
  foreign_keys: "boolean",
  defer_foreign_keys: "boolean",
  ignore_check_constraints: "boolean",
  recursive_triggers: "boolean",
  reverse_unordered_selects: "boolean",
  foreign_key_check: "object",
  foreign_key_list: "object",
  index_info: "object",
  index_list: "object",
  index_xinfo: "object",
};
const BOOLEAN_VALUES = /^(true|false|yes|no|on|off|1|0)/i;

/** Throws what Cloudflare throws for a statement user SQL may not run. */
export function checkStatement(statement: SqlStatement): void {
  const tokens = statement.tokens;
  const first = keyword(tokens[0]);
  if (TRANSACTION_KEYWORDS.has(first)) throw storageError("Error", TRANSACTION_MESSAGE);
  const denied =
    first === "ATTACH" ||
    first === "DETACH" ||
    (first === "CREATE" && (keyword(tokens[1]) === "TEMP" || keyword(tokens[1]) === "TEMPORARY")) ||
    (first === "PRAGMA" && !pragmaAllowed(tokens)) ||
    tokens.some(isReservedName);
  if (denied) throw storageError("Error", NOT_AUTHORIZED_MESSAGE);
}

/** True for a name user SQL may not touch: workerd reserves `_cf_…`; Hearth's tables match in any case, as SQLite resolves them. */
function isReservedName(token: SqlToken): boolean {
  if (token.kind !== "word" && token.kind !== "quoted") return false;
  const name = identifierName(token);
  return name.startsWith("_cf_") || HEARTH_TABLE_NAMES.has(name.toLowerCase());
}

/** `PRAGMA [schema.]name [= value | (value)]`, checked against workerd's list. */
function pragmaAllowed(tokens: readonly SqlToken[]): boolean {
  let i = 1;
  if (tokens[i + 1]?.text === ".") i += 2;
  const nameToken = tokens[i];
  if (nameToken === undefined) return false;
  const kind = PRAGMAS[identifierName(nameToken).toLowerCase()];
  const rest = tokens.slice(i + 1);
  const valueToken = rest[0]?.text === "=" || rest[0]?.text === "(" ? rest[1] : undefined;
  if (rest.length > 0 && valueToken === undefined) return false;
  const value = valueToken === undefined ? undefined : valueToken.kind === "string" ? valueToken.text.slice(1, -1) : identifierName(valueToken);
  switch (kind) {
    case undefined:
      return false;
    case "any":
      return true;
    case "none":
      return value === undefined;
    case "boolean":
      return value === undefined || BOOLEAN_VALUES.test(value);
    case "object":
      return value !== undefined && !value.startsWith("_cf_") && !HEARTH_TABLE_NAMES.has(value.toLowerCase());
  }
}
