import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Expr, SelectQuery, Statement } from "./ast.js";
import { AnalyticsSqlError } from "./errors.js";
import { parseStatement } from "./parser.js";

function select(sql: string): SelectQuery {
  const statement = parseStatement(sql);
  assert.equal(statement.kind, "select");
  return (statement as Statement & { kind: "select" }).query;
}

/** The first select item's expression. */
function expr(sql: string): Expr {
  const item = select(`SELECT ${sql}`).items[0]!;
  assert.equal(item.kind, "expr");
  return (item as { expr: Expr }).expr;
}

/** A compact rendering of an expression tree, to compare shapes. */
function show(e: Expr): string {
  switch (e.kind) {
    case "number": return e.text;
    case "string": return `'${e.value}'`;
    case "bool": return String(e.value);
    case "null": return "NULL";
    case "identifier": return e.qualifier ? `${e.qualifier}.${e.name}` : e.name;
    case "star": return "*";
    case "interval": return `INTERVAL(${show(e.amount)} ${e.unit})`;
    case "negate": return `-(${show(e.operand)})`;
    case "not": return `NOT(${show(e.operand)})`;
    case "binary": return `(${show(e.left)} ${e.operator} ${show(e.right)})`;
    case "in": return `(${show(e.operand)} ${e.negated ? "NOT IN" : "IN"} [${e.list.map(show).join(", ")}])`;
    case "between": return `(${show(e.operand)} ${e.negated ? "NOT BETWEEN" : "BETWEEN"} ${show(e.low)} AND ${show(e.high)})`;
    case "like": return `(${show(e.operand)} ${e.negated ? "NOT " : ""}${e.caseInsensitive ? "ILIKE" : "LIKE"} ${show(e.pattern)})`;
    case "isNull": return `(${show(e.operand)} IS ${e.negated ? "NOT " : ""}NULL)`;
    case "case": return `CASE(${e.operand ? show(e.operand) + "; " : ""}${e.branches.map((b) => `${show(b.when)}->${show(b.then)}`).join(", ")}${e.otherwise ? "; else " + show(e.otherwise) : ""})`;
    case "call": return `${e.name}${e.parameters ? `(${e.parameters.map(show).join(", ")})` : ""}(${e.distinct ? "DISTINCT " : ""}${e.args.map(show).join(", ")})`;
  }
}

function rejects(sql: string, message: RegExp) {
  assert.throws(() => parseStatement(sql), (e: unknown) => e instanceof AnalyticsSqlError && message.test(e.message), `${sql} should fail with ${message}`);
}

describe("parseStatement: statements", () => {
  it("reads SHOW TABLES / TIMEZONES / TIMEZONE with an optional FORMAT and ;", () => {
    assert.deepEqual(parseStatement("show tables"), { kind: "showTables" });
    assert.deepEqual(parseStatement("SHOW TIMEZONES FORMAT JSONEachRow;"), { kind: "showTimezones", format: "JSONEachRow" });
    assert.deepEqual(parseStatement("SHOW TIMEZONE FORMAT tsv"), { kind: "showTimezone", format: "TabSeparated" });
  });

  it("reads every SELECT clause", () => {
    const q = select(`SELECT DISTINCT blob1 AS city, count() n FROM weather AS w WHERE double1 > 0 GROUP BY city
      HAVING n > 10 ORDER BY n DESC, city LIMIT 10 OFFSET 5`);
    assert.equal(q.distinct, true);
    assert.deepEqual(q.items.map((i) => (i.kind === "expr" ? [show(i.expr), i.alias] : "*")), [["blob1", "city"], ["count()", "n"]]);
    assert.deepEqual(q.from, { kind: "table", name: "weather", alias: "w" });
    assert.equal(show(q.where!), "(double1 > 0)");
    assert.deepEqual(q.groupBy.map(show), ["city"]);
    assert.equal(show(q.having!), "(n > 10)");
    assert.deepEqual(q.orderBy.map((o) => [show(o.expr), o.descending]), [["n", true], ["city", false]]);
    assert.deepEqual([q.limit, q.offset], [10, 5]);
  });

  it("reads LIMIT offset, count and LIMIT ALL", () => {
    const q = select("SELECT 1 LIMIT 20, 10");
    assert.deepEqual([q.limit, q.offset], [10, 20]);
    assert.equal(select("SELECT 1 LIMIT ALL").limit, undefined);
    assert.deepEqual([select("SELECT 1 OFFSET 3").offset, select("SELECT 1 OFFSET 3").limit], [3, undefined]);
  });

  it("reads FROM (subquery) with or without an alias, and quoted table names", () => {
    const q = select("SELECT n FROM (SELECT count() AS n FROM t) AS s");
    assert.equal(q.from!.kind, "subquery");
    assert.equal(q.from!.alias, "s");
    assert.deepEqual(select('SELECT 1 FROM "my-dataset"').from, { kind: "table", name: "my-dataset" });
    assert.equal(select("SELECT * FROM t").items[0]!.kind, "star");
  });

  it("keeps the span of each select item, for ClickHouse-style column names", () => {
    const sql = "SELECT  SUM(_sample_interval)  , count( ) FROM t";
    const [a, b] = select(sql).items;
    assert.equal(sql.slice(a!.start, a!.end), "SUM(_sample_interval)");
    assert.equal(sql.slice(b!.start, b!.end), "count( )");
  });
});

describe("parseStatement: expressions", () => {
  it("follows ClickHouse precedence", () => {
    assert.equal(show(expr("a OR b AND NOT c = 1 + 2 * -d")), "(a OR (b AND NOT((c = (1 + (2 * -(d)))))))");
    assert.equal(show(expr("(a OR b) AND c")), "((a OR b) AND c)");
    assert.equal(show(expr("a - b - c")), "((a - b) - c)");
    assert.equal(show(expr("'a' || 'b' = 'ab'")), "(('a' || 'b') = 'ab')");
  });

  it("folds a minus written before a number into the literal", () => {
    assert.equal(show(expr("-42")), "-42");
    assert.equal(show(expr("- x")), "-(x)");
  });

  it("reads IN, BETWEEN, LIKE, ILIKE, IS NULL and their negations", () => {
    assert.equal(show(expr("x NOT IN ('a', 'b')")), "(x NOT IN ['a', 'b'])");
    assert.equal(show(expr("x BETWEEN 1 AND 2 AND y")), "((x BETWEEN 1 AND 2) AND y)");
    assert.equal(show(expr("x NOT LIKE 'a%'")), "(x NOT LIKE 'a%')");
    assert.equal(show(expr("x ILIKE '%.JPG'")), "(x ILIKE '%.JPG')");
    assert.equal(show(expr("x IS NOT NULL")), "(x IS NOT NULL)");
  });

  it("reads the three INTERVAL spellings", () => {
    assert.equal(show(expr("NOW() - INTERVAL '1' DAY")), "(NOW() - INTERVAL(1 DAY))");
    assert.equal(show(expr("INTERVAL 15 minute")), "INTERVAL(15 MINUTE)");
    assert.equal(show(expr("INTERVAL '2 hour'")), "INTERVAL(2 HOUR)");
  });

  it("reads calls: DISTINCT, count(*), parametric aggregates, CAST, extract, position … IN", () => {
    assert.equal(show(expr("count(DISTINCT blob1)")), "count(DISTINCT blob1)");
    assert.equal(show(expr("count(*)")), "count(*)");
    assert.equal(show(expr("quantileExactWeighted(0.5)(double1, _sample_interval)")), "quantileExactWeighted(0.5)(double1, _sample_interval)");
    assert.equal(show(expr("topK(15)(blob1)")), "topK(15)(blob1)");
    assert.equal(show(expr("CAST(double1 AS UInt32)")), "CAST(double1, 'UInt32')");
    assert.equal(show(expr("extract(SECOND from t)")), "toSecond(t)");
    assert.equal(show(expr("position(':' IN blob1)")), "position(blob1, ':')");
    assert.equal(show(expr("toStartOfInterval(timestamp, INTERVAL '1' HOUR)")), "toStartOfInterval(timestamp, INTERVAL(1 HOUR))");
  });

  it("reads CASE with and without an operand, qualified names and literals", () => {
    assert.equal(show(expr("CASE WHEN a THEN 1 ELSE 2 END")), "CASE(a->1; else 2)");
    assert.equal(show(expr("CASE x WHEN 1 THEN 'a' WHEN 2 THEN 'b' END")), "CASE(x; 1->'a', 2->'b')");
    assert.equal(show(expr("t.blob1")), "t.blob1");
    assert.equal(show(expr("true")), "true");
    assert.equal(show(expr("NULL")), "NULL");
  });
});

describe("parseStatement: errors", () => {
  it("names the unsupported feature", () => {
    rejects("SELECT * FROM a JOIN b ON a.x = b.x", /^JOIN is not supported by the Analytics Engine SQL API$/);
    rejects("SELECT * FROM a LEFT JOIN b USING x", /^JOIN is not supported/);
    rejects("SELECT * FROM a, b", /^JOIN is not supported/);
    rejects("SELECT * FROM a ARRAY JOIN arr", /^ARRAY JOIN is not supported/);
    rejects("SELECT 1 UNION ALL SELECT 2", /^UNION is not supported/);
    rejects("WITH 1 AS x SELECT x", /^WITH is not supported/);
    rejects("SELECT 1 FROM t SETTINGS max_threads = 1", /^SETTINGS is not supported/);
    rejects("SELECT 1 FROM t FINAL", /^FINAL is not supported/);
    rejects("SELECT 1 FROM t SAMPLE 0.1", /^SAMPLE is not supported/);
    rejects("SELECT x FROM t LIMIT 1 BY x", /^LIMIT BY is not supported/);
    rejects("SELECT x FROM t WHERE x IN (SELECT 1)", /^IN with a subquery is not supported/);
    rejects("SELECT x FROM numbers(10)", /^Table function numbers\(\) is not supported/);
    rejects("SELECT sum(x) OVER () FROM t", /^OVER \(window functions\) is not supported/);
    rejects("INSERT INTO t VALUES (1)", /^INSERT statement is not supported/);
    rejects("DROP TABLE t", /^DROP statement is not supported/);
  });

  it("reports syntax errors with a position", () => {
    rejects("SELEC 1", /^Syntax error at position 0: expected SELECT or SHOW, found 'SELEC'/);
    rejects("SELECT 1 +", /unexpected end of query/);
    rejects("SELECT (1", /position 9: expected '\)', found the end of the query/);
    rejects("SELECT 1 FROM t WHERE", /unexpected end of query/);
    rejects("SELECT 1 FROM t LIMIT x", /LIMIT needs a whole number, found 'x'/);
    rejects("SELECT 1 2", /expected the end of the query, found '2'/);
    rejects("SELECT 1; SELECT 2", /expected the end of the query, found 'SELECT'/);
    rejects("SHOW DATABASES", /expected TABLES, TIMEZONES or TIMEZONE/);
    rejects("SELECT INTERVAL 1 FORTNIGHT", /expected an interval unit/);
    rejects("SELECT 1 FORMAT CSV", /^Unknown output format 'CSV': use JSON, JSONEachRow, TabSeparated$/);
    rejects("SELECT n FROM (SELECT 1 AS n FORMAT JSON)", /FORMAT is only allowed at the end of the outermost query/);
  });
});
