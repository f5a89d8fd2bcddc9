import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { identifierName, keyword, parameterSlots, splitStatements, tokenize } from "./sql-text.js";

const texts = (sql: string) => splitStatements(sql).map((s) => s.text);

describe("tokenize", () => {
  it("skips whitespace and both comment styles, keeps offsets", () => {
    const tokens = tokenize("SELECT /* c */ a -- d\n, 'x;y' FROM t");
    assert.deepEqual(
      tokens.map((t) => [t.kind, t.text]),
      [["word", "SELECT"], ["word", "a"], ["punct", ","], ["string", "'x;y'"], ["word", "FROM"], ["word", "t"]],
    );
    assert.equal(tokens[1]!.start, 15);
  });

  it("reads quoted identifiers, blobs, numbers and every placeholder style", () => {
    const tokens = tokenize(`"a""b" [c d] \`e\` x'00ff' 1.5e-3 0x1F ? ?12 :n @n $n`);
    assert.deepEqual(
      tokens.map((t) => t.kind),
      ["quoted", "quoted", "quoted", "blob", "number", "number", "param", "param", "param", "param", "param"],
    );
    assert.equal(identifierName(tokens[0]!), 'a"b');
    assert.equal(identifierName(tokens[1]!), "c d");
    assert.equal(keyword(tokens[0]), "");
  });

  it("runs an unterminated quote to the end instead of throwing", () => {
    assert.deepEqual(tokenize("SELECT 'abc").map((t) => t.text), ["SELECT", "'abc"]);
  });
});

describe("splitStatements", () => {
  it("splits at semicolons outside quotes and comments and drops empty statements", () => {
    assert.deepEqual(texts("SELECT ';'; ;; SELECT 2 -- ; not here\n; /* ; */"), ["SELECT ';'", "SELECT 2"]);
    assert.deepEqual(texts("   "), []);
  });

  it("keeps a trigger body (with CASE … END inside) in one statement", () => {
    const sql =
      "CREATE TABLE t(a); CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN " +
      "UPDATE t SET a = CASE WHEN a > 1 THEN 1 ELSE 0 END; DELETE FROM t WHERE a = 5; END; SELECT 1";
    assert.deepEqual(texts(sql), [
      "CREATE TABLE t(a)",
      "CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET a = CASE WHEN a > 1 THEN 1 ELSE 0 END; DELETE FROM t WHERE a = 5; END",
      "SELECT 1",
    ]);
  });

  it("starts each statement's base just past the previous semicolon and the spaces and newlines after it", () => {
    const statements = splitStatements("SELECT 1;  \n\tSELECT 2");
    assert.deepEqual(statements.map((s) => s.base), [0, 12]);
  });
});

describe("parameterSlots", () => {
  const slots = (sql: string) => parameterSlots(tokenize(sql));

  it("numbers ? after the highest slot so far, ?NNN at NNN, and reuses a repeated name", () => {
    assert.deepEqual(slots("SELECT ?, ?5, ?"), { count: 6, names: [null, null, null, null, "?5", null] });
    assert.deepEqual(slots("SELECT :a, ?, :a, @b"), { count: 3, names: [":a", null, "@b"] });
    assert.deepEqual(slots("SELECT '?' -- ?"), { count: 0, names: [] });
  });
});
