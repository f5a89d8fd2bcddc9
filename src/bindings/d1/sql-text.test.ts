import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { identifierName, parameterInfo, splitStatements, tokenize } from "./sql-text.js";

const texts = (sql: string) => splitStatements(sql).map((s) => s.text);

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

  it("reports offsets into the input, and lets an unterminated quote run to the end", () => {
    const [select, str] = tokenize("  SELECT 'abc");
    assert.deepEqual([select!.start, select!.end, str!.start, str!.end, str!.text], [2, 8, 9, 13, "'abc"]);
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
    assert.deepEqual(texts("SELECT 1 -- trailing"), ["SELECT 1 -- trailing"], "the last statement keeps what follows it");
  });

  it("keeps a trigger body whole, with CASE … END inside it", () => {
    const sql = `CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN
      UPDATE t SET v = CASE WHEN NEW.v > 0 THEN 1 ELSE 0 END;
      INSERT INTO log VALUES (NEW.v);
    END;
    SELECT 1;`;
    const statements = texts(sql);
    assert.equal(statements.length, 2);
    assert.match(statements[0]!, /^CREATE TEMP TRIGGER tr[\s\S]*INSERT INTO log VALUES \(NEW\.v\);\s*END$/);
    assert.equal(statements[1], "SELECT 1");
  });

  it("does not treat BEGIN outside a trigger as a block", () => {
    assert.deepEqual(texts("BEGIN; SELECT 1; END;"), ["BEGIN", "SELECT 1", "END"]);
  });

  it("records where each statement's prepare starts reading (after the ; and its spaces and newlines)", () => {
    const [first, second, third] = splitStatements("SELECT 1;  \n /* c */ SELECT 2;\tSELECT 3");
    assert.deepEqual([first!.base, first!.start], [0, 0]);
    assert.deepEqual([second!.base, second!.start], [13, 21]);
    assert.deepEqual([third!.base, third!.start], [30, 31]);
  });
});

describe("parameterInfo", () => {
  const info = (sql: string) => parameterInfo(tokenize(sql));

  it("numbers placeholders as SQLite does", () => {
    assert.deepEqual(info("SELECT 1"), { count: 0, names: [] });
    assert.deepEqual(info("SELECT ?, ?"), { count: 2, names: [null, null] });
    assert.deepEqual(info("SELECT ?2, ?1, ?2"), { count: 2, names: ["?1", "?2"] });
    assert.deepEqual(info("SELECT ?3").names, [null, null, "?3"], "unused indexes have no name");
    assert.deepEqual(info("SELECT ?2, ?").names, [null, "?2", null], "? after ?2 takes index 3");
    assert.deepEqual(info("SELECT :a, @b, :a, $c").names, [":a", "@b", "$c"]);
    assert.deepEqual(info("SELECT '?', \"?\"").count, 0);
  });

  it("reports the first placeholder beyond the limit, as SQLite's parser stops there", () => {
    const limited = (sql: string) => {
      const { overflow } = parameterInfo(tokenize(sql), 3);
      return overflow && [overflow.token.text, overflow.token.start, overflow.numbered];
    };
    assert.equal(limited("SELECT ?, ?, ?"), undefined);
    assert.deepEqual(limited("SELECT ?, ?, ?, ?, ?"), ["?", 16, false]);
    assert.deepEqual(limited("SELECT ?1, ?4"), ["?4", 11, true]);
    assert.deepEqual(limited("SELECT ?0"), ["?0", 7, true]);
    assert.deepEqual(limited("SELECT ?3, :a"), [":a", 11, false]);
  });
});
