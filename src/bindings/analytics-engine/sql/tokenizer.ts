/**
 * Tokens of Cloudflare's Analytics Engine SQL (a ClickHouse dialect): words, quoted identifiers,
 * string and number literals, operators. Comments (`--`, `#`, `/* *\/`) and blanks are skipped.
 * Keywords are not told apart from identifiers here: the parser reads words case-insensitively.
 */
import { AnalyticsSqlError } from "./errors.js";

export type TokenKind =
  /** A bare word: a keyword, or an unquoted identifier. */
  | "word"
  /** An identifier in "double quotes" or `backticks`; `value` is its name. */
  | "quoted"
  /** A 'string literal'; `value` is the decoded text. */
  | "string"
  /** A number literal as written: 42, 4.2, .5, 1e-3, 0x1F. */
  | "number"
  /** An operator or punctuation: ( ) , . ; * / % + - = == != <> < <= > >= || */
  | "operator"
  /** The end of the input. */
  | "end";

export interface Token {
  kind: TokenKind;
  /** The token exactly as written. */
  text: string;
  /** Decoded value: the name of a quoted identifier, the text of a string; otherwise `text`. */
  value: string;
  /** Offset of the first character in the query. */
  start: number;
  /** Offset just past the last character. */
  end: number;
}

/** Operators, longest first so `<=` wins over `<`. */
const OPERATORS = ["<=", ">=", "<>", "!=", "==", "||", "(", ")", ",", ".", ";", "*", "/", "%", "+", "-", "=", "<", ">"];

/** Backslash escapes ClickHouse decodes in string literals and quoted identifiers. */
const ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\", "'": "'", '"': '"', "`": "`", n: "\n", t: "\t", r: "\r", "0": "\0", b: "\b", f: "\f", a: "\x07", v: "\v",
};

const WORD_START = /[A-Za-z_]/;
const WORD_PART = /[A-Za-z0-9_$]/;
const NUMBER = /^(?:0[xX][0-9A-Fa-f]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/;

/** Splits `sql` into tokens, ending with one `end` token. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (sql.startsWith("--", i) || c === "#") {
      const eol = sql.indexOf("\n", i);
      i = eol < 0 ? sql.length : eol + 1;
    } else if (sql.startsWith("/*", i)) {
      const close = sql.indexOf("*/", i + 2);
      if (close < 0) throw new AnalyticsSqlError(`Syntax error at position ${i}: unterminated comment`);
      i = close + 2;
    } else if (c === "'" || c === '"' || c === "`") {
      const { value, end } = readQuoted(sql, i);
      tokens.push({ kind: c === "'" ? "string" : "quoted", text: sql.slice(i, end), value, start: i, end });
      i = end;
    } else if (/\d/.test(c) || (c === "." && /\d/.test(sql[i + 1] ?? ""))) {
      const text = NUMBER.exec(sql.slice(i))![0];
      if (WORD_PART.test(sql[i + text.length] ?? "")) {
        throw new AnalyticsSqlError(`Syntax error at position ${i}: malformed number ${JSON.stringify(sql.slice(i, i + text.length + 1))}`);
      }
      tokens.push({ kind: "number", text, value: text, start: i, end: i + text.length });
      i += text.length;
    } else if (WORD_START.test(c)) {
      let end = i + 1;
      while (end < sql.length && WORD_PART.test(sql[end]!)) end++;
      const text = sql.slice(i, end);
      tokens.push({ kind: "word", text, value: text, start: i, end });
      i = end;
    } else {
      const op = OPERATORS.find((o) => sql.startsWith(o, i));
      if (!op) throw new AnalyticsSqlError(`Syntax error at position ${i}: unexpected character ${JSON.stringify(c)}`);
      tokens.push({ kind: "operator", text: op, value: op, start: i, end: i + op.length });
      i += op.length;
    }
  }
  tokens.push({ kind: "end", text: "", value: "", start: sql.length, end: sql.length });
  return tokens;
}

/**
 * Reads a literal quoted with `sql[start]`. The quote is escaped by doubling it or by a backslash;
 * other backslash escapes follow ClickHouse, where an unknown one (`\d`) keeps its backslash so
 * patterns such as LIKE's `\%` survive.
 */
function readQuoted(sql: string, start: number): { value: string; end: number } {
  const quote = sql[start]!;
  let value = "";
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === quote) {
      if (sql[i + 1] === quote) {
        value += quote;
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    if (c === "\\" && i + 1 < sql.length) {
      const next = sql[i + 1]!;
      const hex = next === "x" ? /^[0-9A-Fa-f]{2}/.exec(sql.slice(i + 2)) : null;
      if (hex) {
        value += String.fromCharCode(parseInt(hex[0], 16));
        i += 4;
      } else {
        value += ESCAPES[next] ?? `\\${next}`;
        i += 2;
      }
      continue;
    }
    value += c;
    i++;
  }
  const what = quote === "'" ? "string literal" : "quoted identifier";
  throw new AnalyticsSqlError(`Syntax error at position ${start}: unterminated ${what}`);
}
