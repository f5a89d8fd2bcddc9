import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { identifierName, keyword, parameterSlots, splitStatements, tokenize } from "./sql-text.js";

const texts = (sql: string) => splitStatements(sql).map((s) => s.text);
const codes = (sql: string) => splitStatements(sql).map((s) => s.code);

describe("tokenize", () => {
  it("skips whitespace and comments and keeps quoted runs whole", () => {
    const tokens = tokenize(`SELECT 'it''s;' AS "a""b", [c;d], \`e\`, x'00ff', 1.5e-3, ?2, :name -- comment ;\n/* block ; */ FROM t;`);
    assert.deepEqual(
      tokens.map((t) => [t.kind, t.text]),
      [
        ["word", "SELECT"], ["string", "'it''s;'"], ["word", "AS"], ["quoted", '"a""b"'], ["punct", ","], ["quoted", "[c;d]"],
        ["punct", ","], ["quoted", "`e`"], ["punct", ","], ["blob", "x'00ff'"], ["punct", ","], ["number", "1.5e-3"],
        ["punct", ","], ["param", "?2"], ["punct", ","], ["param", ":name"], ["word", "FROM"], ["word", "t"], ["punct", ";"],
      ],
    );
  });

  it("skips both comment styles and keeps offsets", () => {
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
    assert.equal(keyword(tokens[0]), "");
  });

  it("reports offsets into the input, and lets an unterminated quote run to the end", () => {
    const [select, str] = tokenize("  SELECT 'abc");
    assert.deepEqual([select!.start, select!.end, str!.start, str!.end, str!.text], [2, 8, 9, 13, "'abc"]);
    assert.deepEqual(tokenize("SELECT 'abc").map((t) => t.text), ["SELECT", "'abc"]);
  });

  it("unquotes identifiers", () => {
    const names = tokenize(`"a""b" [c d] \`e\`\`f\` plain`).map(identifierName);
    assert.deepEqual(names, ['a"b', "c d", "e`f", "plain"]);
  });
});

describe("splitStatements", () => {
  it("splits at semicolons outside strings and comments, dropping empty statements", () => {
    assert.deepEqual(texts("SELECT 1; SELECT ';'; ; -- x;\nSELECT 2"), ["SELECT 1", "SELECT ';'", "SELECT 2"]);
    assert.deepEqual(texts("  ;; -- nothing\n"), []);
    assert.deepEqual(texts("   "), []);
    assert.deepEqual(codes("SELECT ';'; ;; SELECT 2 -- ; not here\n; /* ; */"), ["SELECT ';'", "SELECT 2"]);
  });

  it("keeps what precedes the ; (or the end) in text, and only the tokens' span in code", () => {
    assert.deepEqual(texts("SELECT 1 -- trailing"), ["SELECT 1 -- trailing"], "the last statement keeps what follows it");
    assert.deepEqual(codes("SELECT 1 -- trailing"), ["SELECT 1"]);
    assert.deepEqual(texts("SELECT 1 /* c */ ; SELECT 2 "), ["SELECT 1 /* c */ ", "SELECT 2 "]);
    assert.deepEqual(codes("SELECT 1 /* c */ ; SELECT 2 "), ["SELECT 1", "SELECT 2"]);
  });

  it("keeps a trigger body whole, with CASE … END inside it", () => {
    const sql = `CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN
      UPDATE t SET v = CASE WHEN NEW.v > 0 THEN 1 ELSE 0 END;
      INSERT INTO log VALUES (NEW.v);
    END;
    SELECT 1;`;
    for (const triggerWords of ["body", "statement"] as const) {
      const statements = splitStatements(sql, { triggerWords }).map((s) => s.text);
      assert.equal(statements.length, 2);
      assert.match(statements[0]!, /^CREATE TEMP TRIGGER tr[\s\S]*INSERT INTO log VALUES \(NEW\.v\);\s*END$/);
      assert.equal(statements[1], "SELECT 1");
    }
  });

  it("keeps a one-line trigger body (with CASE … END inside) in one statement", () => {
    const sql =
      "CREATE TABLE t(a); CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN " +
      "UPDATE t SET a = CASE WHEN a > 1 THEN 1 ELSE 0 END; DELETE FROM t WHERE a = 5; END; SELECT 1";
    const expected = [
      "CREATE TABLE t(a)",
      "CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET a = CASE WHEN a > 1 THEN 1 ELSE 0 END; DELETE FROM t WHERE a = 5; END",
      "SELECT 1",
    ];
    assert.deepEqual(codes(sql), expected);
    assert.deepEqual(splitStatements(sql, { triggerWords: "statement" }).map((s) => s.code), expected);
  });

  it("counts trigger words per rule: only inside the body, or across the whole statement", () => {
    // A column named `begin` inside the body: the "statement" rule (D1's) counts it as a second BEGIN.
    const sql = "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET begin = 1; END; SELECT 1; SELECT 2";
    assert.deepEqual(codes(sql), ["CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET begin = 1; END", "SELECT 1", "SELECT 2"]);
    assert.deepEqual(splitStatements(sql, { triggerWords: "statement" }).map((s) => s.code), [
      "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET begin = 1; END; SELECT 1; SELECT 2",
    ]);
    // CASE … END in the WHEN clause, before the body: both rules balance it.
    const when = "CREATE TRIGGER tr AFTER INSERT ON t WHEN CASE WHEN 1 THEN 1 END BEGIN SELECT 1; END; SELECT 2";
    for (const triggerWords of ["body", "statement"] as const) {
      assert.equal(splitStatements(when, { triggerWords }).length, 2);
    }
  });

  it("does not treat BEGIN outside a trigger as a block", () => {
    assert.deepEqual(texts("BEGIN; SELECT 1; END;"), ["BEGIN", "SELECT 1", "END"]);
    assert.deepEqual(splitStatements("BEGIN; SELECT 1; END;", { triggerWords: "statement" }).map((s) => s.text), ["BEGIN", "SELECT 1", "END"]);
  });

  it("records where each statement's prepare starts reading (after the ; and its spaces and newlines)", () => {
    const [first, second, third] = splitStatements("SELECT 1;  \n /* c */ SELECT 2;\tSELECT 3");
    assert.deepEqual([first!.base, first!.start], [0, 0]);
    assert.deepEqual([second!.base, second!.start], [13, 21]);
    assert.deepEqual([third!.base, third!.start], [30, 31]);
    assert.deepEqual(splitStatements("SELECT 1;  \n\tSELECT 2").map((s) => s.base), [0, 12]);
  });
});

describe("parameterSlots", () => {
  const slots = (sql: string) => parameterSlots(tokenize(sql));

  it("numbers placeholders as SQLite does", () => {
    assert.deepEqual(slots("SELECT 1"), { count: 0, names: [] });
    assert.deepEqual(slots("SELECT ?, ?"), { count: 2, names: [null, null] });
    assert.deepEqual(slots("SELECT ?2, ?1, ?2"), { count: 2, names: ["?1", "?2"] });
    assert.deepEqual(slots("SELECT ?3").names, [null, null, "?3"], "unused indexes have no name");
    assert.deepEqual(slots("SELECT ?2, ?").names, [null, "?2", null], "? after ?2 takes index 3");
    assert.deepEqual(slots("SELECT :a, @b, :a, $c").names, [":a", "@b", "$c"]);
    assert.deepEqual(slots("SELECT '?', \"?\"").count, 0);
    assert.deepEqual(slots("SELECT ?, ?5, ?"), { count: 6, names: [null, null, null, null, "?5", null] });
    assert.deepEqual(slots("SELECT :a, ?, :a, @b"), { count: 3, names: [":a", null, "@b"] });
    assert.deepEqual(slots("SELECT '?' -- ?"), { count: 0, names: [] });
  });

  it("gives no slot to a ?NNN SQLite refuses, and numbers the rest", () => {
    const { count, names, overflow } = slots("SELECT ?0, ?");
    assert.deepEqual({ count, names }, { count: 1, names: [null] });
    assert.deepEqual(overflow && [overflow.token.text, overflow.numbered], ["?0", true]);
  });

  it("reports the first placeholder beyond the limit", () => {
    const limited = (sql: string) => {
      const { overflow } = parameterSlots(tokenize(sql), 3);
      return overflow && [overflow.token.text, overflow.token.start, overflow.numbered];
    };
    assert.equal(limited("SELECT ?, ?, ?"), undefined);
    assert.deepEqual(limited("SELECT ?, ?, ?, ?, ?"), ["?", 16, false]);
    assert.deepEqual(limited("SELECT ?1, ?4"), ["?4", 11, true]);
    assert.deepEqual(limited("SELECT ?0"), ["?0", 7, true]);
    assert.deepEqual(limited("SELECT ?3, :a"), [":a", 11, false]);
  });
});
