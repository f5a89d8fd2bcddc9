/**
 * SQL text as SQLite reads it: a tokenizer, a statement splitter and the parameter numbering rules.
 *
 * D1 and Durable Object SQL storage both need them, because better-sqlite3 prepares one statement
 * at a time and hides SQLite's parameter table and error offsets:
 * - `splitStatements` cuts a script at the `;`s that end statements (not those inside quotes,
 *   comments or a `CREATE TRIGGER … BEGIN … END` body): D1's `exec()`, batch driver, migrations and
 *   CLI, and DO `sql.exec()`;
 * - `parameterSlots` numbers placeholders the way SQLite does, so positional bindings reach the
 *   right slots whatever placeholder style the SQL uses, and reports the first one past a limit;
 * - tokens carry offsets, so errors can say where in the statement they happened.
 *
 * The rules follow SQLite's tokenizer (`tokenize.c`) and `sqlite3_complete()`.
 * Pure module: used from the Worker realm (d1 api.worker.ts) and from Node code alike.
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
  /** A placeholder: ?, ?NNN, :name, @name or $name. */
  | "param"
  /** Anything else: operators, punctuation, `;`. */
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

/** One statement of a script. */
export interface SqlStatement {
  /**
   * The statement's source, from its first token up to (not including) its `;`, or to the end of
   * the input: comments and blanks before the `;` stay. (D1 prepares this.)
   */
  text: string;
  /** From the statement's first token up to its last: `text` without what precedes the `;`. (DO storage prepares this.) */
  code: string;
  /** Offset of `text` (of the first token) in the input. */
  start: number;
  /**
   * Where SQLite's multi-statement prepare loop (as workerd runs it) starts reading this statement:
   * just past the previous statement's `;` and the spaces and newlines after it (0 for the first).
   * Error offsets count from here, as workerd reports them.
   */
  base: number;
  /** Its tokens, offsets relative to the whole input. */
  tokens: SqlToken[];
}

/**
 * Which `BEGIN`/`CASE`/`END` words of a `CREATE TRIGGER` statement count when deciding whether a
 * `;` is inside the trigger body. The two differ only when `begin` or `end` is written as a bare
 * identifier inside a trigger statement (e.g. a column named `begin`).
 * - "body": the first `BEGIN` opens the body; inside it `CASE` nests and `END` closes. (DO storage)
 * - "statement": every `BEGIN`/`CASE` of the statement opens and every `END` closes, and a `;` ends
 *   the statement once the count is at or below zero. (D1, kept as it was)
 */
export type TriggerWordRule = "body" | "statement";

export interface SplitStatementsOptions {
  /** Default "body". */
  triggerWords?: TriggerWordRule;
}

/** How a statement's placeholders map onto SQLite's parameter slots 1..count. */
export interface SqlParameterSlots {
  /** What `sqlite3_bind_parameter_count` reports: the highest slot used, i.e. how many values the statement takes. */
  count: number;
  /**
   * Per slot (index = slot - 1): the placeholder's name as SQLite reports it (`?3`, `:id`, `@id`,
   * `$id`), or null for an anonymous `?` and for a slot no placeholder uses.
   */
  names: (string | null)[];
  /**
   * The first placeholder SQLite would refuse with `maxIndex` as its limit: a `?NNN` outside
   * 1..maxIndex (`numbered: true`), or one whose slot would exceed maxIndex. `count` and `names`
   * leave refused placeholders out.
   */
  overflow?: { token: SqlToken; numbered: boolean };
}

const isSpace = (c: string) => c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f";
const isDigit = (c: string) => c >= "0" && c <= "9";
/** SQLite's identifier characters: ASCII letters, digits, `_`, `$` and everything non-ASCII. */
const isIdChar = (c: string) =>
  (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || isDigit(c) || c === "_" || c === "$" || c > "\x7f";
const isIdStart = (c: string) => isIdChar(c) && !isDigit(c) && c !== "$";

/** Index just past a run quoted with `close` that starts at `open` (a doubled `close` escapes itself). */
function quotedEnd(sql: string, open: number, close: string, doubling: boolean): number {
  let from = open + 1;
  for (;;) {
    const at = sql.indexOf(close, from);
    if (at === -1) return sql.length; // unterminated: SQLite's tokenizer runs it to the end too
    if (doubling && sql[at + 1] === close) {
      from = at + 2;
      continue;
    }
    return at + 1;
  }
}

/** Index just past a number starting at `i` (trailing letters stay in it: SQLite rejects such tokens whole). */
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

/** Every token of `sql`; whitespace and comments are skipped. Never throws. */
export function tokenize(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  const n = sql.length;
  let i = 0;
  const take = (kind: SqlTokenKind, end: number) => {
    tokens.push({ kind, text: sql.slice(i, end), start: i, end });
    i = end;
  };
  const wordEnd = (from: number) => {
    let j = from;
    while (j < n && isIdChar(sql[j]!)) j++;
    return j;
  };
  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1] ?? "";
    if (isSpace(c)) i++;
    else if (c === "-" && next === "-") {
      const eol = sql.indexOf("\n", i);
      i = eol === -1 ? n : eol + 1;
    } else if (c === "/" && next === "*") {
      const close = sql.indexOf("*/", i + 2);
      i = close === -1 ? n : close + 2;
    } else if (c === "'") take("string", quotedEnd(sql, i, "'", true));
    else if (c === '"' || c === "`") take("quoted", quotedEnd(sql, i, c, true));
    else if (c === "[") take("quoted", quotedEnd(sql, i, "]", false));
    else if ((c === "x" || c === "X") && next === "'") take("blob", quotedEnd(sql, i + 1, "'", false));
    else if (isDigit(c) || (c === "." && isDigit(next))) take("number", numberEnd(sql, i));
    else if (c === "?") {
      let j = i + 1;
      while (j < n && isDigit(sql[j]!)) j++;
      take("param", j);
    } else if ((c === ":" || c === "@" || c === "$") && next !== "" && isIdChar(next)) take("param", wordEnd(i + 1));
    else if (isIdStart(c)) take("word", wordEnd(i + 1));
    else take("punct", i + 1);
  }
  return tokens;
}

/** The upper-cased text of a word token; "" for anything else (so quoted names never pass as keywords). */
export function keyword(token: SqlToken | undefined): string {
  return token?.kind === "word" ? token.text.toUpperCase() : "";
}

/** The name an identifier token stands for: quotes removed, doubled quotes undone. */
export function identifierName(token: SqlToken): string {
  if (token.kind !== "quoted") return token.text;
  const open = token.text[0]!;
  const inner = token.text.slice(1, token.text.length - 1);
  return open === "[" ? inner : inner.split(open + open).join(open);
}

/** True for `CREATE [TEMP|TEMPORARY] TRIGGER`, whose body holds `;`s. */
function isCreateTrigger(tokens: readonly SqlToken[]): boolean {
  if (keyword(tokens[0]) !== "CREATE") return false;
  const second = keyword(tokens[1]);
  return second === "TRIGGER" || ((second === "TEMP" || second === "TEMPORARY") && keyword(tokens[2]) === "TRIGGER");
}

/** Index just past the spaces and newlines at `from` (what workerd's prepare loop skips between statements). */
function skipBlanks(sql: string, from: number): number {
  let i = from;
  while (sql[i] === " " || sql[i] === "\n") i++;
  return i;
}

/**
 * Splits a script into statements at each `;` that ends one. Inside a trigger body (`BEGIN` to its
 * `END`, with `CASE … END` nesting; see `TriggerWordRule`) a `;` does not. Empty statements (`;;`,
 * only comments) are dropped.
 */
export function splitStatements(sql: string, options: SplitStatementsOptions = {}): SqlStatement[] {
  const wholeStatement = options.triggerWords === "statement";
  const statements: SqlStatement[] = [];
  let current: SqlToken[] = [];
  let base = 0;
  let trigger = false;
  let depth = 0; // > 0 while inside a trigger body (never below 0 with the "body" rule)
  const finish = (endOffset: number, nextBase: number) => {
    if (current.length > 0) {
      const start = current[0]!.start;
      const end = current[current.length - 1]!.end;
      statements.push({ text: sql.slice(start, endOffset), code: sql.slice(start, end), start, base, tokens: current });
    }
    current = [];
    trigger = false;
    depth = 0;
    base = nextBase;
  };
  for (const token of tokenize(sql)) {
    if (token.kind === "punct" && token.text === ";" && depth <= 0) {
      finish(token.start, skipBlanks(sql, token.end));
      continue;
    }
    current.push(token);
    if (current.length <= 3 && !trigger) trigger = isCreateTrigger(current);
    if (!trigger) continue;
    const word = keyword(token);
    if (wholeStatement) {
      if (word === "BEGIN" || word === "CASE") depth++;
      else if (word === "END") depth--;
    } else if (word === "BEGIN" && depth === 0) depth = 1;
    else if (depth > 0 && word === "CASE") depth++;
    else if (depth > 0 && word === "END") depth--;
  }
  finish(sql.length, sql.length);
  return statements;
}

/**
 * Numbers a statement's placeholders as SQLite does: `?` takes the slot after the highest so far,
 * `?NNN` takes slot NNN, and a named placeholder takes a new slot the first time its exact spelling
 * appears and reuses it afterwards. A placeholder past `maxIndex` gets no slot; the first one is
 * reported as `overflow`.
 */
export function parameterSlots(tokens: readonly SqlToken[], maxIndex = Number.MAX_SAFE_INTEGER): SqlParameterSlots {
  const names: (string | null)[] = [];
  const named = new Set<string>();
  let count = 0;
  let overflow: SqlParameterSlots["overflow"];
  for (const token of tokens) {
    if (token.kind !== "param") continue;
    if (token.text[0] === "?" && token.text !== "?") {
      const slot = Number(token.text.slice(1));
      if (!(slot >= 1 && slot <= maxIndex)) {
        overflow ??= { token, numbered: true };
        continue;
      }
      names[slot - 1] = token.text;
      if (slot > count) count = slot;
    } else if (token.text === "?" || !named.has(token.text)) {
      if (count + 1 > maxIndex) {
        overflow ??= { token, numbered: false };
        continue;
      }
      names[count++] = token.text === "?" ? null : token.text;
      if (token.text !== "?") named.add(token.text);
    }
  }
  for (let i = 0; i < count; i++) names[i] ??= null;
  return overflow ? { count, names, overflow } : { count, names };
}
