/**
 * SQL text as SQLite reads it: a tokenizer, a statement splitter and the parameter numbering rules.
 *
 * D1 needs these in several places: `exec()` and the CLI split input into statements, the driver
 * checks D1's restrictions statement by statement and binds D1's positional values to whatever
 * placeholders the SQL uses, and error messages point at a token's offset. The rules follow
 * SQLite's own tokenizer (`tokenize.c`): comments, the three identifier quotings, blob literals,
 * parameters, and `CREATE TRIGGER … BEGIN … END` bodies whose `;` do not end the statement.
 *
 * Pure module: used from the Worker realm (api.worker.ts) and from Node code alike.
 */

export type SqlTokenKind =
  /** A bare word: a keyword or an unquoted identifier. */
  | "word"
  /** A quoted identifier: "x", `x` or [x]. */
  | "quoted"
  /** A string literal 'x'. */
  | "string"
  /** A blob literal x'00ff'. */
  | "blob"
  | "number"
  /** A parameter: ?, ?NNN, :name, @name or $name. */
  | "param"
  /** Any other character (operators, punctuation, `;`). */
  | "punct";

export interface SqlToken {
  kind: SqlTokenKind;
  /** The token exactly as written. */
  text: string;
  /** Offset of its first UTF-16 code unit in the input. */
  start: number;
  /** Offset just past it. */
  end: number;
}

/** One statement of a SQL text. */
export interface SqlStatement {
  /** The statement's source, from its first token up to (not including) its `;`, or to the end of the input. */
  text: string;
  /** Offset of `text` in the input. */
  start: number;
  /**
   * Where SQLite's multi-statement prepare loop (as workerd runs it) starts reading this statement:
   * just after the previous statement's `;` and the spaces and newlines that follow it (0 for the
   * first). Error offsets are counted from here, as workerd reports them.
   */
  base: number;
  /** The statement's tokens, offsets relative to the input. */
  tokens: SqlToken[];
}

const isSpace = (c: string) => c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f";
const isDigit = (c: string) => c >= "0" && c <= "9";
/** SQLite's identifier characters: ASCII letters, digits, `_`, `$` and every non-ASCII character. */
const isIdChar = (c: string) => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || isDigit(c) || c === "_" || c === "$" || c > "\x7f";
const isIdStart = (c: string) => isIdChar(c) && !isDigit(c) && c !== "$";

/** Index just past a quoted run opened at `i` by `open` and closed by `close` (doubled `close` escapes it). */
function skipQuoted(sql: string, i: number, close: string, doubling: boolean): number {
  let j = i + 1;
  for (;;) {
    const k = sql.indexOf(close, j);
    if (k === -1) return sql.length; // unterminated: runs to the end, as SQLite's tokenizer does
    if (doubling && sql[k + 1] === close) {
      j = k + 2;
      continue;
    }
    return k + 1;
  }
}

/** Index just past a numeric literal starting at `i` (decimal, hex, exponent; trailing letters stay in it, as SQLite rejects them). */
function numberEnd(sql: string, i: number): number {
  const hex = sql[i] === "0" && (sql[i + 1] === "x" || sql[i + 1] === "X");
  let j = i + 1;
  for (; j < sql.length; j++) {
    const c = sql[j]!;
    const exponentSign = !hex && (c === "+" || c === "-") && (sql[j - 1] === "e" || sql[j - 1] === "E");
    if (!isIdChar(c) && c !== "." && !exponentSign) break;
  }
  return j;
}

/** Every token of `sql`, skipping whitespace and comments. Never throws; an unterminated quote runs to the end. */
export function tokenize(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  const n = sql.length;
  const push = (kind: SqlTokenKind, end: number) => {
    tokens.push({ kind, text: sql.slice(i, end), start: i, end });
    i = end;
  };
  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1] ?? "";
    if (isSpace(c)) {
      i++;
    } else if (c === "-" && next === "-") {
      const k = sql.indexOf("\n", i);
      i = k === -1 ? n : k + 1;
    } else if (c === "/" && next === "*") {
      const k = sql.indexOf("*/", i + 2);
      i = k === -1 ? n : k + 2;
    } else if (c === "'") {
      push("string", skipQuoted(sql, i, "'", true));
    } else if (c === '"' || c === "`") {
      push("quoted", skipQuoted(sql, i, c, true));
    } else if (c === "[") {
      push("quoted", skipQuoted(sql, i, "]", false));
    } else if ((c === "x" || c === "X") && next === "'") {
      const end = skipQuoted(sql, i + 1, "'", false);
      tokens.push({ kind: "blob", text: sql.slice(i, end), start: i, end });
      i = end;
    } else if (isDigit(c) || (c === "." && isDigit(next))) {
      push("number", numberEnd(sql, i));
    } else if (c === "?") {
      let j = i + 1;
      while (j < n && isDigit(sql[j]!)) j++;
      push("param", j);
    } else if ((c === ":" || c === "@" || c === "$") && next !== "" && isIdChar(next)) {
      let j = i + 1;
      while (j < n && isIdChar(sql[j]!)) j++;
      push("param", j);
    } else if (isIdStart(c)) {
      let j = i + 1;
      while (j < n && isIdChar(sql[j]!)) j++;
      push("word", j);
    } else {
      push("punct", i + 1);
    }
  }
  return tokens;
}

/** The upper-cased text of a word token, or "" for any other token (so keyword tests never match quoted names). */
export function keyword(token: SqlToken | undefined): string {
  return token?.kind === "word" ? token.text.toUpperCase() : "";
}

/** The name an identifier token stands for: quotes removed and doubled quotes undone; other tokens as written. */
export function identifierName(token: SqlToken): string {
  if (token.kind !== "quoted") return token.text;
  const open = token.text[0]!;
  const inner = token.text.slice(1, token.text.length - 1);
  if (open === "[") return inner;
  return inner.split(open + open).join(open);
}

/** True when the statement starts `CREATE [TEMP|TEMPORARY] TRIGGER`, whose body holds `;`s. */
function startsTrigger(tokens: SqlToken[]): boolean {
  if (keyword(tokens[0]) !== "CREATE") return false;
  const second = keyword(tokens[1]);
  return second === "TRIGGER" || ((second === "TEMP" || second === "TEMPORARY") && keyword(tokens[2]) === "TRIGGER");
}

/**
 * Splits `sql` into statements at each `;` that ends one (not those inside a trigger body, where
 * `BEGIN`/`CASE` … `END` nest). Empty statements (only `;`, whitespace or comments) are dropped.
 */
export function splitStatements(sql: string): SqlStatement[] {
  const tokens = tokenize(sql);
  const statements: SqlStatement[] = [];
  let current: SqlToken[] = [];
  let depth = 0;
  let trigger = false;
  let base = 0;
  const finish = (endOffset: number) => {
    if (current.length > 0) {
      const start = current[0]!.start;
      statements.push({ text: sql.slice(start, endOffset), start, base, tokens: current });
    }
    current = [];
    depth = 0;
    trigger = false;
  };
  for (const token of tokens) {
    if (token.kind === "punct" && token.text === ";" && depth <= 0) {
      finish(token.start);
      base = token.end;
      while (sql[base] === " " || sql[base] === "\n") base++;
      continue;
    }
    current.push(token);
    if (current.length <= 3 && !trigger) trigger = startsTrigger(current);
    if (trigger) {
      const word = keyword(token);
      if (word === "BEGIN" || word === "CASE") depth++;
      else if (word === "END") depth--;
    }
  }
  finish(sql.length);
  return statements;
}

/** How the placeholders of one statement map to SQLite's parameter indexes. */
export interface SqlParameters {
  /** What `sqlite3_bind_parameter_count` reports: the largest index used. */
  count: number;
  /**
   * For each index 1..count (array slot index-1): the placeholder's name as SQLite reports it
   * (`?3`, `:id`, `@id`, `$id`), or null for an anonymous `?` and for an index no placeholder uses.
   */
  names: (string | null)[];
  /**
   * The first placeholder SQLite would refuse with `maxIndex` as its limit: a `?NNN` outside
   * 1..maxIndex (`numbered: true`), or one whose index would exceed maxIndex. Numbering stops there.
   */
  overflow?: { token: SqlToken; numbered: boolean };
}

/**
 * Numbers a statement's placeholders as SQLite does: `?` takes the next index; `?NNN` takes NNN;
 * a named parameter takes the next index the first time its exact spelling appears and reuses it
 * afterwards.
 */
export function parameterInfo(tokens: readonly SqlToken[], maxIndex = Number.MAX_SAFE_INTEGER): SqlParameters {
  const names: (string | null)[] = [];
  const named = new Map<string, number>();
  let count = 0;
  let overflow: SqlParameters["overflow"];
  for (const token of tokens) {
    if (token.kind !== "param") continue;
    if (token.text === "?" || (token.text[0] !== "?" && !named.has(token.text))) {
      if (count + 1 > maxIndex) {
        overflow = { token, numbered: false };
        break;
      }
      count++;
      names[count - 1] = token.text === "?" ? null : token.text;
      if (token.text !== "?") named.set(token.text, count);
    } else if (token.text[0] === "?") {
      const value = Number(token.text.slice(1));
      if (!(value >= 1 && value <= maxIndex)) {
        overflow = { token, numbered: true };
        break;
      }
      if (value > count) count = value;
      names[value - 1] = token.text;
    }
  }
  for (let i = 0; i < count; i++) if (names[i] === undefined) names[i] = null;
  return overflow ? { count, names, overflow } : { count, names };
}
