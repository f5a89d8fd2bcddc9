/**
 * Parses one Analytics Engine SQL statement into the tree of ast.ts: `SHOW TABLES`,
 * `SHOW TIMEZONES`, `SHOW TIMEZONE`, or `SELECT` with Cloudflare's clauses. ClickHouse features the
 * dialect lacks (JOIN, UNION, WITH, SETTINGS, …) are refused by name rather than as syntax errors.
 *
 * Precedence, loosest first: OR; AND; NOT; comparisons, [NOT] IN/BETWEEN/LIKE/ILIKE, IS [NOT] NULL;
 * + - ||; * / %; unary minus; literals, columns, calls, CASE, INTERVAL, CAST, parentheses.
 */
import {
  INTERVAL_UNITS, OUTPUT_FORMATS,
  type BinaryOperator, type Expr, type FromClause, type IntervalUnit, type OrderItem, type OutputFormat,
  type SelectItem, type SelectQuery, type Statement,
} from "./ast.js";
import { AnalyticsSqlError, unsupported } from "./errors.js";
import { tokenize, type Token } from "./tokenizer.js";

/** Words that end an expression or a clause, so they are never read as a column or an implicit alias. */
const RESERVED = new Set([
  "SELECT", "DISTINCT", "FROM", "WHERE", "GROUP", "BY", "HAVING", "ORDER", "LIMIT", "OFFSET", "FORMAT", "AS", "ASC", "DESC",
  "AND", "OR", "NOT", "IN", "BETWEEN", "LIKE", "ILIKE", "IS", "NULL", "CASE", "WHEN", "THEN", "ELSE", "END", "ON", "USING",
  "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "ARRAY", "GLOBAL", "ASOF", "SEMI", "ANTI", "PASTE",
  "UNION", "INTERSECT", "EXCEPT", "SETTINGS", "SAMPLE", "PREWHERE", "FINAL", "WINDOW", "QUALIFY", "INTO", "WITH",
]);

/** Words that start a ClickHouse clause Cloudflare's dialect does not have, and the feature each names. */
const UNSUPPORTED_CLAUSES: Readonly<Record<string, string>> = {
  JOIN: "JOIN", INNER: "JOIN", LEFT: "JOIN", RIGHT: "JOIN", FULL: "JOIN", CROSS: "JOIN", ASOF: "JOIN", SEMI: "JOIN",
  ANTI: "JOIN", PASTE: "JOIN", GLOBAL: "JOIN", ANY: "JOIN", ALL: "JOIN", ARRAY: "ARRAY JOIN",
  UNION: "UNION", INTERSECT: "INTERSECT", EXCEPT: "EXCEPT", SETTINGS: "SETTINGS", SAMPLE: "SAMPLE",
  PREWHERE: "PREWHERE", FINAL: "FINAL", WINDOW: "WINDOW", QUALIFY: "QUALIFY", INTO: "INTO OUTFILE", WITH: "WITH",
};

/** Statements of ClickHouse SQL that are refused with their own name. */
const OTHER_STATEMENTS = new Set([
  "INSERT", "CREATE", "DROP", "ALTER", "DELETE", "UPDATE", "DESCRIBE", "DESC", "EXPLAIN", "USE", "SET", "OPTIMIZE",
  "TRUNCATE", "RENAME", "ATTACH", "DETACH", "GRANT", "REVOKE", "KILL", "SYSTEM", "EXISTS", "CHECK", "EXCHANGE",
]);

const COMPARISONS: Readonly<Record<string, BinaryOperator>> = { "=": "=", "==": "=", "!=": "!=", "<>": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">=" };

/** `extract(UNIT FROM x)` as the ClickHouse function it stands for. */
const EXTRACT_FUNCTIONS: Readonly<Record<string, string>> = {
  YEAR: "toYear", QUARTER: "toQuarter", MONTH: "toMonth", DAY: "toDayOfMonth", HOUR: "toHour", MINUTE: "toMinute", SECOND: "toSecond",
};

/** Parses `sql` (one statement, optionally ending with `;`). Throws AnalyticsSqlError. */
export function parseStatement(sql: string): Statement {
  return new Parser(sql).statement();
}

class Parser {
  private readonly tokens: Token[];
  private pos = 0;

  constructor(private readonly sql: string) {
    this.tokens = tokenize(sql);
  }

  statement(): Statement {
    const first = this.peek();
    let statement: Statement;
    if (this.acceptWord("SHOW")) {
      statement = this.show();
    } else if (this.isWord("SELECT")) {
      statement = { kind: "select", query: this.select() };
    } else if (this.isWord("WITH")) {
      throw unsupported("WITH");
    } else if (first.kind === "word" && OTHER_STATEMENTS.has(first.text.toUpperCase())) {
      throw unsupported(`${first.text.toUpperCase()} statement`);
    } else {
      throw this.expected("SELECT or SHOW");
    }
    if (this.acceptWord("FORMAT")) statement.format = this.format();
    this.acceptOperator(";");
    if (this.peek().kind !== "end") {
      this.rejectUnsupportedClause();
      throw this.expected("the end of the query");
    }
    return statement;
  }

  private show(): Statement {
    if (this.acceptWord("TABLES")) return { kind: "showTables" };
    if (this.acceptWord("TIMEZONES")) return { kind: "showTimezones" };
    if (this.acceptWord("TIMEZONE")) return { kind: "showTimezone" };
    throw this.expected("TABLES, TIMEZONES or TIMEZONE after SHOW");
  }

  private format(): OutputFormat {
    const token = this.next();
    const name = token.kind === "word" || token.kind === "quoted" ? token.value : "";
    const format = name.toUpperCase() === "TSV" ? "TabSeparated" : OUTPUT_FORMATS.find((f) => f.toUpperCase() === name.toUpperCase());
    if (!format) throw new AnalyticsSqlError(`Unknown output format '${token.text}': use ${OUTPUT_FORMATS.join(", ")}`);
    return format;
  }

  private select(): SelectQuery {
    this.expectWord("SELECT");
    const query: SelectQuery = { distinct: this.acceptWord("DISTINCT"), items: [this.selectItem()], groupBy: [], orderBy: [] };
    while (this.acceptOperator(",")) query.items.push(this.selectItem());
    if (this.acceptWord("FROM")) query.from = this.from();
    this.rejectUnsupportedClause();
    if (this.acceptWord("WHERE")) query.where = this.expression();
    if (this.acceptWord("GROUP")) {
      this.expectWord("BY");
      query.groupBy = this.list(() => this.expression());
      if (this.isWord("WITH")) throw unsupported(`GROUP BY … WITH ${this.peek(1).text.toUpperCase()}`);
    }
    if (this.acceptWord("HAVING")) query.having = this.expression();
    if (this.acceptWord("ORDER")) {
      this.expectWord("BY");
      query.orderBy = this.list(() => this.orderItem());
    }
    if (this.acceptWord("LIMIT")) {
      if (!this.acceptWord("ALL")) {
        const first = this.count("LIMIT");
        if (this.acceptOperator(",")) {
          query.offset = first;
          query.limit = this.count("LIMIT");
        } else {
          query.limit = first;
        }
      }
      if (this.isWord("BY")) throw unsupported("LIMIT BY");
      if (this.isWord("WITH")) throw unsupported("LIMIT … WITH TIES");
    }
    if (this.acceptWord("OFFSET")) query.offset = this.count("OFFSET");
    this.rejectUnsupportedClause();
    return query;
  }

  private selectItem(): SelectItem {
    const start = this.peek().start;
    if (this.acceptOperator("*")) return { kind: "star", start, end: this.previous().end };
    const expr = this.expression();
    return { kind: "expr", expr, alias: this.alias(), start, end: expr.end };
  }

  /** `AS name`, or a bare name that is not a keyword (ClickHouse's implicit alias). */
  private alias(): string | undefined {
    if (this.acceptWord("AS")) return this.name("an alias after AS");
    const token = this.peek();
    if (token.kind === "quoted" || (token.kind === "word" && !RESERVED.has(token.text.toUpperCase()))) {
      this.pos++;
      return token.value;
    }
    return undefined;
  }

  private from(): FromClause {
    let from: FromClause;
    if (this.acceptOperator("(")) {
      if (!this.isWord("SELECT")) throw this.expected("SELECT in the FROM subquery");
      const query = this.select();
      if (this.isWord("FORMAT")) throw new AnalyticsSqlError("FORMAT is only allowed at the end of the outermost query");
      this.expectOperator(")");
      from = { kind: "subquery", query };
    } else {
      const name = this.name("a table name after FROM");
      if (this.isOperator("(")) throw unsupported(`Table function ${name}()`);
      if (this.isOperator(".")) throw unsupported("A database name before the table name");
      from = { kind: "table", name };
    }
    const alias = this.alias();
    if (alias !== undefined) from.alias = alias;
    if (this.isOperator(",")) throw unsupported("JOIN");
    return from;
  }

  private orderItem(): OrderItem {
    const expr = this.expression();
    const descending = this.acceptWord("DESC") || this.acceptWord("DESCENDING");
    if (!descending && !this.acceptWord("ASC")) this.acceptWord("ASCENDING");
    if (this.isWord("NULLS")) throw unsupported("NULLS FIRST/LAST");
    if (this.isWord("COLLATE")) throw unsupported("COLLATE");
    if (this.isWord("WITH")) throw unsupported("ORDER BY … WITH FILL");
    return { expr, descending };
  }

  private count(clause: string): number {
    const token = this.next();
    if (token.kind !== "number" || !/^\d+$/.test(token.text)) {
      throw new AnalyticsSqlError(`Syntax error at position ${token.start}: ${clause} needs a whole number, found '${token.text}'`);
    }
    return Number(token.text);
  }

  // ---- expressions ----

  expression(): Expr {
    return this.or();
  }

  private or(): Expr {
    let left = this.and();
    while (this.acceptWord("OR")) left = this.binary("OR", left, this.and());
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.acceptWord("AND")) left = this.binary("AND", left, this.not());
    return left;
  }

  private not(): Expr {
    const start = this.peek().start;
    if (this.acceptWord("NOT")) {
      const operand = this.not();
      return { kind: "not", operand, start, end: operand.end };
    }
    return this.comparison();
  }

  private comparison(): Expr {
    let left = this.additive();
    for (;;) {
      const token = this.peek();
      const operator = token.kind === "operator" ? COMPARISONS[token.text] : undefined;
      if (operator) {
        this.pos++;
        left = this.binary(operator, left, this.additive());
        continue;
      }
      if (this.acceptWord("IS")) {
        const negated = this.acceptWord("NOT");
        this.expectWord("NULL");
        left = { kind: "isNull", operand: left, negated, start: left.start, end: this.previous().end };
        continue;
      }
      const negated = this.isWord("NOT") && ["IN", "BETWEEN", "LIKE", "ILIKE"].includes(this.peek(1).text.toUpperCase());
      if (negated) this.pos++;
      if (this.acceptWord("IN")) {
        left = this.inList(left, negated);
      } else if (this.acceptWord("BETWEEN")) {
        const low = this.additive();
        this.expectWord("AND");
        const high = this.additive();
        left = { kind: "between", operand: left, low, high, negated, start: left.start, end: high.end };
      } else if (this.isWord("LIKE") || this.isWord("ILIKE")) {
        const caseInsensitive = this.next().text.toUpperCase() === "ILIKE";
        const pattern = this.additive();
        left = { kind: "like", operand: left, pattern, negated, caseInsensitive, start: left.start, end: pattern.end };
      } else {
        return left;
      }
    }
  }

  private inList(operand: Expr, negated: boolean): Expr {
    this.expectOperator("(");
    if (this.isWord("SELECT")) throw unsupported("IN with a subquery");
    const list = this.list(() => this.expression());
    this.expectOperator(")");
    return { kind: "in", operand, list, negated, start: operand.start, end: this.previous().end };
  }

  private additive(): Expr {
    let left = this.multiplicative();
    for (;;) {
      const op = this.peek().kind === "operator" ? this.peek().text : "";
      if (op !== "+" && op !== "-" && op !== "||") return left;
      this.pos++;
      left = this.binary(op, left, this.multiplicative());
    }
  }

  private multiplicative(): Expr {
    let left = this.unary();
    for (;;) {
      const op = this.peek().kind === "operator" ? this.peek().text : "";
      if (op !== "*" && op !== "/" && op !== "%") return left;
      this.pos++;
      left = this.binary(op, left, this.unary());
    }
  }

  private unary(): Expr {
    const start = this.peek().start;
    if (this.acceptOperator("-")) {
      // A minus written before a number is part of the literal, so `-42` is an Int8 constant.
      const token = this.peek();
      if (token.kind === "number") {
        this.pos++;
        return { kind: "number", text: `-${token.text}`, start, end: token.end };
      }
      const operand = this.unary();
      return { kind: "negate", operand, start, end: operand.end };
    }
    if (this.acceptOperator("+")) return this.unary();
    return this.primary();
  }

  private primary(): Expr {
    const token = this.next();
    const { start, end } = token;
    switch (token.kind) {
      case "number":
        return { kind: "number", text: token.text, start, end };
      case "string":
        return { kind: "string", value: token.value, start, end };
      case "quoted":
        return this.identifier(token);
      case "operator":
        if (token.text === "(") {
          if (this.isWord("SELECT")) throw unsupported("A subquery inside an expression");
          const inner = this.expression();
          if (this.isOperator(",")) throw unsupported("A tuple");
          this.expectOperator(")");
          // The parentheses belong to the expression's text, e.g. the column name `(a + b)`.
          return { ...inner, start, end: this.previous().end };
        }
        break;
      case "word": {
        const word = token.text.toUpperCase();
        if (word === "TRUE" || word === "FALSE") return { kind: "bool", value: word === "TRUE", start, end };
        if (word === "NULL") return { kind: "null", start, end };
        if (word === "CASE") return this.caseExpression(start);
        if (word === "INTERVAL") return this.interval(start);
        if (this.isOperator("(")) return this.call(token);
        if (RESERVED.has(word)) break;
        return this.identifier(token);
      }
      case "end":
        throw new AnalyticsSqlError("Syntax error: unexpected end of query");
    }
    throw new AnalyticsSqlError(`Syntax error at position ${start}: unexpected '${token.text}'`);
  }

  private identifier(token: Token): Expr {
    if (this.acceptOperator(".")) {
      const name = this.name("a column name after '.'");
      return { kind: "identifier", name, qualifier: token.value, start: token.start, end: this.previous().end };
    }
    return { kind: "identifier", name: token.value, start: token.start, end: token.end };
  }

  private call(nameToken: Token): Expr {
    const name = nameToken.text;
    const upper = name.toUpperCase();
    this.expectOperator("(");
    if (upper === "CAST") return this.cast(nameToken);
    if (upper === "EXTRACT" && this.peek().kind === "word" && this.peek(1).text.toUpperCase() === "FROM") {
      const unit = this.next().text.toUpperCase();
      const fn = EXTRACT_FUNCTIONS[unit];
      if (!fn) throw new AnalyticsSqlError(`extract() does not support the unit ${unit}`);
      this.expectWord("FROM");
      const arg = this.expression();
      this.expectOperator(")");
      return { kind: "call", name: fn, args: [arg], distinct: false, start: nameToken.start, end: this.previous().end };
    }
    let distinct = false;
    let args: Expr[] = [];
    if (!this.isOperator(")")) {
      distinct = this.acceptWord("DISTINCT");
      if (upper === "POSITION") {
        // `position(needle IN haystack)` is `position(haystack, needle)`.
        const needle = this.additive();
        if (this.acceptWord("IN")) {
          const haystack = this.expression();
          this.expectOperator(")");
          return { kind: "call", name, args: [haystack, needle], distinct: false, start: nameToken.start, end: this.previous().end };
        }
        args = [needle];
        while (this.acceptOperator(",")) args.push(this.argument());
      } else {
        args = this.list(() => this.argument());
      }
    }
    this.expectOperator(")");
    if (this.acceptOperator("(")) {
      // Parametric aggregate: the first list held the parameters, this one the arguments.
      const parameters = args;
      args = this.isOperator(")") ? [] : this.list(() => this.argument());
      this.expectOperator(")");
      return { kind: "call", name, parameters, args, distinct, start: nameToken.start, end: this.previous().end };
    }
    if (this.isWord("OVER")) throw unsupported("OVER (window functions)");
    return { kind: "call", name, args, distinct, start: nameToken.start, end: this.previous().end };
  }

  /** A call argument: an expression, or `*` as in `count(*)`. */
  private argument(): Expr {
    const token = this.peek();
    if (token.kind === "operator" && token.text === "*") {
      this.pos++;
      return { kind: "star", start: token.start, end: token.end };
    }
    return this.expression();
  }

  /** `CAST(x AS Type)` becomes `CAST(x, 'Type')`, ClickHouse's own spelling of it. */
  private cast(nameToken: Token): Expr {
    const operand = this.expression();
    let type: Expr;
    if (this.acceptWord("AS")) {
      const typeStart = this.peek().start;
      let depth = 0;
      while (!(depth === 0 && this.isOperator(")"))) {
        const t = this.next();
        if (t.kind === "end") throw this.expected("')' after the CAST type");
        if (t.text === "(") depth++;
        if (t.text === ")") depth--;
      }
      const typeEnd = this.previous().end;
      type = { kind: "string", value: this.sql.slice(typeStart, typeEnd), start: typeStart, end: typeEnd };
    } else {
      this.expectOperator(",");
      type = this.expression();
    }
    this.expectOperator(")");
    return { kind: "call", name: nameToken.text, args: [operand, type], distinct: false, start: nameToken.start, end: this.previous().end };
  }

  private caseExpression(start: number): Expr {
    const operand = this.isWord("WHEN") ? undefined : this.expression();
    const branches: { when: Expr; then: Expr }[] = [];
    while (this.acceptWord("WHEN")) {
      const when = this.expression();
      this.expectWord("THEN");
      branches.push({ when, then: this.expression() });
    }
    if (branches.length === 0) throw this.expected("WHEN in CASE");
    const otherwise = this.acceptWord("ELSE") ? this.expression() : undefined;
    this.expectWord("END");
    const node: Expr = { kind: "case", branches, start, end: this.previous().end };
    if (operand) node.operand = operand;
    if (otherwise) node.otherwise = otherwise;
    return node;
  }

  /** `INTERVAL '1' DAY`, `INTERVAL 1 DAY` or `INTERVAL '1 DAY'`. */
  private interval(start: number): Expr {
    const amountToken = this.peek();
    if (amountToken.kind === "string") {
      const match = /^\s*(-?\d+)\s*(?:\s([A-Za-z]+)\s*)?$/.exec(amountToken.value);
      if (!match) throw new AnalyticsSqlError(`Syntax error at position ${amountToken.start}: bad INTERVAL amount '${amountToken.value}'`);
      this.pos++;
      const amount: Expr = { kind: "number", text: match[1]!, start: amountToken.start, end: amountToken.end };
      const unit = match[2] ? intervalUnit(match[2], amountToken.start) : this.intervalUnit();
      return { kind: "interval", amount, unit, start, end: this.previous().end };
    }
    const amount = this.unary();
    return { kind: "interval", amount, unit: this.intervalUnit(), start, end: this.previous().end };
  }

  private intervalUnit(): IntervalUnit {
    const token = this.next();
    return intervalUnit(token.kind === "word" ? token.text : "", token.start);
  }

  // ---- helpers ----

  private binary(operator: string, left: Expr, right: Expr): Expr {
    return { kind: "binary", operator: operator as BinaryOperator, left, right, start: left.start, end: right.end };
  }

  private list<T>(item: () => T): T[] {
    const items = [item()];
    while (this.acceptOperator(",")) items.push(item());
    return items;
  }

  /** An identifier or a quoted name. */
  private name(what: string): string {
    const token = this.peek();
    if (token.kind === "quoted" || (token.kind === "word" && !RESERVED.has(token.text.toUpperCase()))) {
      this.pos++;
      return token.value;
    }
    this.rejectUnsupportedClause();
    throw this.expected(what);
  }

  private rejectUnsupportedClause(): void {
    const token = this.peek();
    const feature = token.kind === "word" ? UNSUPPORTED_CLAUSES[token.text.toUpperCase()] : undefined;
    if (feature) throw unsupported(feature);
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)]!;
  }

  private previous(): Token {
    return this.tokens[this.pos - 1]!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== "end") this.pos++;
    return token;
  }

  private isWord(word: string): boolean {
    const token = this.peek();
    return token.kind === "word" && token.text.toUpperCase() === word;
  }

  private acceptWord(word: string): boolean {
    if (!this.isWord(word)) return false;
    this.pos++;
    return true;
  }

  private expectWord(word: string): void {
    if (!this.acceptWord(word)) throw this.expected(word);
  }

  private isOperator(op: string): boolean {
    const token = this.peek();
    return token.kind === "operator" && token.text === op;
  }

  private acceptOperator(op: string): boolean {
    if (!this.isOperator(op)) return false;
    this.pos++;
    return true;
  }

  private expectOperator(op: string): void {
    if (!this.acceptOperator(op)) throw this.expected(`'${op}'`);
  }

  private expected(what: string): AnalyticsSqlError {
    const token = this.peek();
    const found = token.kind === "end" ? "the end of the query" : `'${token.text}'`;
    return new AnalyticsSqlError(`Syntax error at position ${token.start}: expected ${what}, found ${found}`);
  }
}

function intervalUnit(word: string, position: number): IntervalUnit {
  const unit = INTERVAL_UNITS.find((u) => u === word.toUpperCase());
  if (!unit) throw new AnalyticsSqlError(`Syntax error at position ${position}: expected an interval unit (${INTERVAL_UNITS.join(", ")}), found '${word}'`);
  return unit;
}
