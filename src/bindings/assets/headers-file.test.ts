import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { applyHeaderRules, compileHeaderRules, parseHeadersFile } from "./headers-file.js";

const FILE = `# comment
/*
  X-Frame-Options: DENY
  X-Global: on

/blog/:year/*
  X-Year: :year

/assets/*
  X-Splat: :splat
  X-Multi: first

/assets/*.css
  X-Multi: second

/secret
  ! X-Global

/cookies
  Set-Cookie: a=1
  Set-Cookie: b=2

https://:sub.example.com/*
  X-Sub: :sub
`;

function headersFor(url: string, start: Record<string, string> = {}): Headers {
  const headers = new Headers(start);
  applyHeaderRules(compileHeaderRules(parseHeadersFile(FILE)), new URL(url), headers);
  return headers;
}

describe("_headers", () => {
  test("every matching rule applies; a header set by two rules is joined", () => {
    const h = headersFor("http://localhost/assets/site.css");
    assert.equal(h.get("x-frame-options"), "DENY");
    assert.equal(h.get("x-splat"), "site.css");
    assert.equal(h.get("x-multi"), "first, second");
  });

  test("placeholders and splats are substituted", () => {
    assert.equal(headersFor("http://localhost/blog/2024/post").get("x-year"), "2024");
    assert.equal(headersFor("http://localhost/blog/2024").get("x-year"), null);
  });

  test("`! Name` removes a header set by an earlier rule", () => {
    const h = headersFor("http://localhost/secret");
    assert.equal(h.get("x-global"), null);
    assert.equal(h.get("x-frame-options"), "DENY");
  });

  test("a rule's value replaces a default header; repeated names in one rule are joined", () => {
    assert.equal(headersFor("http://localhost/", { "x-global": "default" }).get("x-global"), "on");
    assert.equal(headersFor("http://localhost/cookies").get("set-cookie"), "a=1, b=2");
  });

  test("absolute rules match the host (port and scheme ignored), with host placeholders", () => {
    assert.equal(headersFor("http://docs.example.com:8788/x").get("x-sub"), "docs");
    assert.equal(headersFor("http://localhost/x").get("x-sub"), null);
  });

  test("invalid lines are listed with wrangler's messages", () => {
    const parsed = parseHeadersFile("X-Before: path\n/a\n  no colon here\n  Bad Name: x\n/b\n/c\n  X-Ok: 1\n");
    assert.deepEqual(
      parsed.invalid.map((i) => i.message),
      ["Path should come before header (x-before: path)", "Expected a colon-separated header pair (e.g. name: value)", "Header name cannot include spaces", "No headers specified", "No headers specified"],
    );
    assert.deepEqual(parsed.rules.map((r) => r.path), ["/c"]);
  });
});
