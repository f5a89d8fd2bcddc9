import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { compileRedirectRules, matchRedirect, parseRedirectsFile } from "./redirects-file.js";

const match = (file: string, url: string) => matchRedirect(compileRedirectRules(parseRedirectsFile(file)), new URL(url));

describe("_redirects", () => {
  test("status defaults to 302; static rules match exactly", () => {
    assert.deepEqual(match("/a /b\n", "http://h/a"), { status: 302, to: "/b" });
    assert.equal(match("/a /b\n", "http://h/a/"), undefined);
    assert.equal(match("/a /b\n", "http://h/A"), undefined);
  });

  test("splats and placeholders fill the destination; the first matching line wins", () => {
    const file = "/go/* /target/:splat\n/u/:id/profile /people/:id\n/u/:id/:tab /people/:id?tab=:tab 301\n";
    assert.deepEqual(match(file, "http://h/go/a/b"), { status: 302, to: "/target/a/b" });
    assert.deepEqual(match(file, "http://h/u/7/profile"), { status: 302, to: "/people/7" });
    assert.deepEqual(match(file, "http://h/u/7/posts"), { status: 301, to: "/people/7?tab=posts" });
  });

  test("trailing comments, duplicates, bad status codes and absolute proxy targets are reported", () => {
    const parsed = parseRedirectsFile("/a /b 301 # moved\n/a /c\n/d /e 404\n/f https://x.example/ 200\n/g\n");
    assert.deepEqual(parsed.rules.map((r) => [r.from, r.to, r.status]), [["/a", "/b", 301]]);
    assert.deepEqual(
      parsed.invalid.map((i) => i.message),
      [
        "Ignoring duplicate rule for path /a.",
        "Valid status codes are 200, 301, 302 (default), 303, 307, or 308. Got 404.",
        "Proxy (200) redirects can only point to relative paths. Got https://x.example/",
        "Expected exactly 2 or 3 whitespace-separated tokens. Got 1.",
      ],
    );
  });

  test("rules that would loop with the HTML-handling redirects are dropped", () => {
    const parsed = parseRedirectsFile("/* /index.html 200\n/* /index 200\n/ /index.html\n/* /foo/index.html\n/* /foo\n/foo/* /bar 200\n");
    assert.deepEqual(parsed.rules.map((r) => r.from + " " + r.to), ["/* /foo", "/foo/* /bar"]);
    assert.equal(parsed.invalid.length, 4);
    assert.match(parsed.invalid[0]!.message, /^Infinite loop detected in this rule and has been ignored\./);
  });

  test("absolute destinations keep their URL; fragments stay", () => {
    assert.deepEqual(match("/ext https://example.com/path 301\n/anchor /page#section\n", "http://h/ext"), { status: 301, to: "https://example.com/path" });
    assert.deepEqual(match("/anchor /page#section\n", "http://h/anchor"), { status: 302, to: "/page#section" });
  });
});
