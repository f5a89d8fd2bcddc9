import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AnalyticsSqlError } from "./errors.js";
import { parseStatement } from "./parser.js";
import { planStatement, type Plan } from "./translate.js";
import { typeName } from "./types.js";

const DATASETS = new Set(["weather", "my-dataset"]);
const NOW_MS = Date.UTC(2024, 0, 10);

function plan(sql: string): Plan {
  return planStatement(parseStatement(sql), sql, { nowMs: NOW_MS, hasTable: (name) => DATASETS.has(name) });
}

/** [name, type] of each result column of `SELECT <items> FROM weather`. */
function columns(items: string): [string, string][] {
  return plan(`SELECT ${items} FROM weather AS s`).columns.map((c) => [c.name, typeName(c.type)]);
}

function rejects(sql: string, message: RegExp) {
  assert.throws(() => plan(sql), (e: unknown) => e instanceof AnalyticsSqlError && message.test(e.message), `${sql} should fail with ${message}`);
}

describe("planStatement: result columns", () => {
  it("names columns by alias, else by the expression as written", () => {
    assert.deepEqual(columns("blob1 AS city, double1*1.8+32 temp_f, s.blob2, \"blob3\"").map(([n]) => n), ["city", "temp_f", "s.blob2", "blob3"]);
    assert.deepEqual(columns("count(), SUM(_sample_interval)").map(([n]) => n), ["count()", "SUM(_sample_interval)"]);
  });

  it("types columns the way ClickHouse does", () => {
    const cases: [string, string][] = [
      ["dataset", "String"], ["timestamp", "DateTime"], ["_sample_interval", "UInt32"], ["index1", "String"], ["blob20", "String"], ["double20", "Float64"],
      ["count()", "UInt64"], ["count(*)", "UInt64"], ["count(blob1)", "UInt64"], ["count(DISTINCT blob1)", "UInt64"], ["sum(_sample_interval)", "UInt64"], ["sum(double1)", "Float64"],
      ["avg(_sample_interval)", "Float64"], ["min(timestamp)", "DateTime"], ["max(blob1)", "String"], ["countIf(double1 > 0)", "UInt64"],
      ["sumIf(_sample_interval, double1 > 0)", "UInt64"], ["avgIf(double1, 1)", "Float64"],
      ["quantileExactWeighted(0.5)(double1, _sample_interval)", "Float64"], ["quantileExactWeighted(0.9)(_sample_interval, 1)", "UInt32"],
      ["quantileWeighted(0.5, double1, _sample_interval)", "Float64"], ["argMax(blob1, double1)", "String"], ["topK(blob1)", "Array(String)"],
      ["topKWeighted(3)(double1, _sample_interval)", "Array(Float64)"], ["first_value(timestamp)", "DateTime"],
      ["1", "UInt8"], ["300", "UInt16"], ["-1", "Int8"], ["1.5", "Float64"], ["'x'", "String"], ["true", "Bool"],
      ["1 + 1", "UInt16"], ["_sample_interval * _sample_interval", "UInt64"], ["1 - 1", "Int16"], ["1 / 2", "Float64"], ["double1 + 1", "Float64"],
      ["intDiv(toUInt32(timestamp), 300) * 300", "UInt64"], ["intDiv(double1, 2)", "Int64"], ["blob1 = 'x'", "UInt8"], ["NOT 1", "UInt8"],
      ["if(1, 1, 2.5)", "Float64"], ["if(1, 'a', 'b')", "String"], ["multiIf(0, 1, -1)", "Int16"],
      ["toStartOfInterval(timestamp, INTERVAL '15' MINUTE)", "DateTime"], ["toStartOfInterval(timestamp, INTERVAL 1 DAY)", "DateTime"],
      ["toStartOfInterval(timestamp, INTERVAL 1 WEEK)", "Date"], ["toStartOfMonth(timestamp)", "Date"], ["toStartOfHour(timestamp)", "DateTime"],
      ["toDateTime(blob1, 'America/New_York')", "DateTime('America/New_York')"], ["toUnixTimestamp(timestamp)", "UInt32"],
      ["formatDateTime(timestamp, '%F')", "String"], ["toYear(timestamp)", "UInt16"], ["toYYYYMM(timestamp)", "UInt32"],
      ["now() - INTERVAL '1' DAY", "DateTime"], ["today()", "Date"], ["timestamp - toDateTime('2024-01-01')", "Int64"],
      ["length(blob1)", "UInt64"], ["concat(blob1, 1)", "String"], ["toFloat64(blob1)", "Float64"], ["toUInt8(double1)", "UInt8"],
      ["toInt64(double1)", "Int64"], ["CAST(double1 AS UInt32)", "UInt32"], ["round(double1, 2)", "Float64"], ["round(_sample_interval)", "UInt32"],
      ["abs(-1)", "UInt8"], ["bitAnd(_sample_interval, 1)", "UInt32"], ["hex(blob1)", "String"], ["log(double1)", "Float64"],
    ];
    for (const [expr, type] of cases) assert.deepEqual(columns(expr), [[expr, type]], expr);
  });

  it("expands * into every column of the table, in Cloudflare's order", () => {
    const names = columns("*").map(([n]) => n);
    assert.equal(names.length, 4 + 20 + 20);
    assert.deepEqual(names.slice(0, 6), ["dataset", "timestamp", "_sample_interval", "index1", "blob1", "blob2"]);
    assert.equal(names.at(-1), "double20");
  });

  it("reads the columns of a FROM subquery by their names", () => {
    const p = plan("SELECT s.city, n FROM (SELECT blob1 AS city, count() AS n FROM weather GROUP BY city) AS s WHERE n > 1");
    assert.deepEqual(p.columns.map((c) => [c.name, typeName(c.type)]), [["s.city", "String"], ["n", "UInt64"]]);
    assert.deepEqual(plan("SELECT `count()` FROM (SELECT count() FROM weather)").columns.map((c) => c.name), ["count()"]);
  });

  it("answers SHOW TIMEZONE(S) without SQL and SHOW TABLES with it", () => {
    assert.deepEqual(plan("SHOW TIMEZONE").rows, [["Etc/UTC"]]);
    assert.ok(plan("SHOW TIMEZONES").rows!.some(([tz]) => tz === "Europe/London"));
    assert.match(plan("SHOW TABLES").query!.sql, /SELECT DISTINCT dataset FROM points/);
  });

  it("binds string literals and the dataset as parameters, one per distinct value", () => {
    const p = plan("SELECT count() FROM weather WHERE blob1 = 'x' OR blob2 = 'x' OR blob3 = 'it''s'");
    assert.deepEqual(Object.values(p.query!.params).sort(), ["it's", "weather", "x"]);
    assert.doesNotMatch(p.query!.sql, /'x'|it's/);
  });

  it("adds a count query only when there is a LIMIT or OFFSET", () => {
    assert.equal(plan("SELECT blob1 FROM weather").query!.countSql, undefined);
    assert.match(plan("SELECT blob1 FROM weather LIMIT 5").query!.countSql!, /^SELECT COUNT\(\*\) FROM \(SELECT/);
    assert.match(plan("SELECT blob1 FROM weather OFFSET 5").query!.sql, /LIMIT -1 OFFSET 5$/);
  });
});

describe("planStatement: aliases", () => {
  it("lets WHERE, GROUP BY, HAVING and ORDER BY use select aliases", () => {
    const p = plan(`SELECT index1 AS customer_id, sum(_sample_interval) AS usage FROM weather
      WHERE customer_id = 'x' GROUP BY customer_id HAVING usage > 1 ORDER BY usage DESC`);
    assert.match(p.query!.sql, /WHERE q0\.dataset = @p\d AND \(q0\.index1 = @p\d\) GROUP BY q0\.index1 HAVING/);
  });

  it("reads the column inside an alias's own definition", () => {
    assert.deepEqual(columns("avg(double1) AS double1").map(([, t]) => t), ["Float64"]);
  });

  it("refuses one alias for two different expressions", () => {
    rejects("SELECT blob1 AS x, blob2 AS x FROM weather", /Different expressions with the same alias x/);
  });
});

describe("planStatement: errors", () => {
  it("names unknown tables, columns and functions", () => {
    rejects("SELECT 1 FROM nope", /^Unknown table 'nope'/);
    rejects("SELECT blob21 FROM weather", /^Unknown column 'blob21'$/);
    rejects("SELECT Blob1 FROM weather", /^Unknown column 'Blob1'$/);
    rejects("SELECT x.blob1 FROM weather", /^Unknown table 'x' in 'x.blob1'$/);
    rejects("SELECT blob1", /^Unknown column 'blob1'$/);
    rejects("SELECT medianExact(double1) FROM weather", /^Unknown function medianExact$/);
  });

  it("refuses aggregates where ClickHouse does", () => {
    rejects("SELECT 1 FROM weather WHERE count() > 1", /Aggregate function count\(\) is found in WHERE/);
    rejects("SELECT sum(double1) AS s FROM weather WHERE s > 1", /Aggregate function sum\(double1\) is found in WHERE/);
    rejects("SELECT count() FROM weather GROUP BY count()", /is found in GROUP BY/);
    rejects("SELECT sum(count()) FROM weather", /found inside another aggregate function/);
    rejects("SELECT count() FROM weather GROUP BY 1", /GROUP BY refers to an aggregate function/);
  });

  it("refuses columns outside GROUP BY in an aggregate query", () => {
    rejects("SELECT blob1, count() FROM weather", /Column 'blob1' is not under an aggregate function and not in GROUP BY/);
    rejects("SELECT blob1, count() FROM weather GROUP BY blob2", /Column 'blob1' is not/);
    rejects("SELECT count() FROM weather GROUP BY blob2 ORDER BY blob1", /Column 'blob1' is not/);
    rejects("SELECT count() FROM weather GROUP BY blob2 HAVING blob1 = 'x'", /Column 'blob1' is not/);
    // Expressions of grouped columns, and grouped expressions themselves, are fine.
    plan("SELECT lower(blob1), toStartOfHour(timestamp) AS h, count() FROM weather GROUP BY blob1, h ORDER BY h");
    plan("SELECT blob1 FROM weather GROUP BY blob1");
  });

  it("refuses operations on the wrong types", () => {
    rejects("SELECT blob1 + 1 FROM weather", /Illegal type String of argument of function plus/);
    rejects("SELECT blob1 = 1 FROM weather", /Illegal types of arguments \(String, UInt8\) of =/);
    rejects("SELECT double1 = 'abc' FROM weather", /Cannot convert 'abc' to Float64/);
    rejects("SELECT sum(blob1) FROM weather", /Illegal type String of argument of function sum/);
    rejects("SELECT double1 LIKE 'a%' FROM weather", /Illegal type Float64 of argument of function like/);
    rejects("SELECT if(1, 'a', 2) FROM weather", /no supertype for types String, UInt8/);
    rejects("SELECT 1 FROM weather WHERE blob1", /WHERE needs a condition, got String/);
    rejects("SELECT toStartOfInterval(blob1, INTERVAL 1 DAY) FROM weather", /Illegal type String of argument of function toStartOfInterval/);
    rejects("SELECT timestamp > '2024-13-45' FROM weather", /Cannot parse '2024-13-45' as DateTime/);
  });

  it("checks arguments and parameters", () => {
    rejects("SELECT if(1, 2) FROM weather", /Function if takes 3 arguments, got 2/);
    rejects("SELECT quantileExactWeighted(1.5)(double1, _sample_interval) FROM weather", /quantile level must be between 0 and 1/);
    rejects("SELECT quantileExactWeighted(double1)(double1, _sample_interval) FROM weather", /the quantile level must be a constant/);
    rejects("SELECT topK(0)(blob1) FROM weather", /N must be a positive whole number/);
    rejects("SELECT sum(1)(double1) FROM weather", /Function sum takes no parameters/);
    rejects("SELECT min(DISTINCT double1) FROM weather", /DISTINCT is not allowed in min\(\)/);
    rejects("SELECT formatDateTime(timestamp, '%Q %K') FROM weather", /unsupported format specifier '%K'/);
    rejects("SELECT toDateTime(blob1, 'Nowhere/Town') FROM weather", /Unknown time zone 'Nowhere\/Town'/);
    rejects("SELECT toStartOfInterval(timestamp, 1) FROM weather", /the second argument must be an INTERVAL/);
    rejects("SELECT 1 % 0", /Division by zero in modulo/);
    rejects("SELECT 1e999", /Number literal 1e999 is out of range/);
  });

  it("checks clauses", () => {
    rejects("SELECT blob1 FROM weather HAVING blob1 = 'x'", /HAVING needs GROUP BY or an aggregate function/);
    rejects("SELECT blob1, count() FROM weather GROUP BY 3", /GROUP BY position 3 is out of range: the query has 2 result columns/);
    rejects("SELECT blob1 FROM weather ORDER BY 0", /ORDER BY position 0 is out of range/);
    rejects("SELECT *", /SELECT \* needs a FROM clause/);
    rejects("SELECT INTERVAL 1 DAY", /An INTERVAL cannot be a result column/);
    rejects("SELECT sum(*) FROM weather", /'\*' is only allowed alone/);
  });
});
