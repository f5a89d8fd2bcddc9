import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AnalyticsSqlError } from "./errors.js";
import { tokenize } from "./tokenizer.js";

const kinds = (sql: string) => tokenize(sql).map((t) => [t.kind, t.value]);

describe("tokenize", () => {
  it("splits words, numbers, strings, quoted identifiers and operators, with offsets", () => {
    assert.deepEqual(kinds(`SELECT blob1, "my col", \`count()\` FROM t WHERE x>=1.5e3 AND y<>'a'`), [
      ["word", "SELECT"], ["word", "blob1"], ["operator", ","], ["quoted", "my col"], ["operator", ","], ["quoted", "count()"],
      ["word", "FROM"], ["word", "t"], ["word", "WHERE"], ["word", "x"], ["operator", ">="], ["number", "1.5e3"],
      ["word", "AND"], ["word", "y"], ["operator", "<>"], ["string", "a"], ["end", ""],
    ]);
    const [select, star] = tokenize("SELECT  *");
    assert.deepEqual([select!.start, select!.end, star!.start, star!.end], [0, 6, 8, 9]);
  });

  it("reads every number form ClickHouse writes", () => {
    assert.deepEqual(kinds("42 4.2 .5 1. 1e10 2.5E-3 0x1F").map(([, v]) => v), ["42", "4.2", ".5", "1.", "1e10", "2.5E-3", "0x1F", ""]);
  });

  it("decodes string escapes: doubled quotes, backslash escapes, \\xHH; unknown escapes keep their backslash", () => {
    const [t] = tokenize(String.raw`'it''s \'q\' a\tb\nc \\ \x41 \% \d'`);
    assert.equal(t!.kind, "string");
    assert.equal(t!.value, "it's 'q' a\tb\nc \\ A \\% \\d");
  });

  it("skips -- # and /* */ comments", () => {
    assert.deepEqual(kinds("SELECT -- one\n1 # two\n/* three */ + 2").map(([, v]) => v), ["SELECT", "1", "+", "2", ""]);
  });

  it("keeps `||` and `==` and `!=` as single operators", () => {
    assert.deepEqual(kinds("a||b==c!=d").map(([, v]) => v), ["a", "||", "b", "==", "c", "!=", "d", ""]);
  });

  it("rejects unterminated literals and comments, stray characters and malformed numbers", () => {
    for (const [sql, message] of [
      ["SELECT 'abc", /position 7: unterminated string literal/],
      ['SELECT "abc', /position 7: unterminated quoted identifier/],
      ["SELECT /* x", /unterminated comment/],
      ["SELECT a ? b", /unexpected character "\?"/],
      ["SELECT 12abc", /malformed number/],
    ] as const) {
      assert.throws(() => tokenize(sql), (e: unknown) => e instanceof AnalyticsSqlError && message.test(e.message), sql);
    }
  });
});
