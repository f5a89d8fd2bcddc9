import assert from "node:assert/strict";
import { test } from "node:test";
import { compileModuleRules, globToRegExp } from "./module-rules.js";

test("globs match path endings the way wrangler's rules do", () => {
  assert.ok(globToRegExp("**/*.txt").test("/a/b/c.txt"));
  assert.ok(globToRegExp("**/*.txt").test("c.txt"));
  assert.ok(!globToRegExp("**/*.txt").test("/a/b/c.txt.js"));
  assert.ok(globToRegExp("**/*.wasm?module").test("/x/y.wasm?module"));
  assert.ok(!globToRegExp("src/*.md").test("/p/src/deep/x.md"));
  assert.ok(globToRegExp("src/*.md").test("/p/src/x.md"));
});

test("a user rule without fallthrough replaces the default rule of its type", () => {
  const rules = compileModuleRules([{ type: "Text", globs: ["**/*.md"] }]);
  const text = rules.filter((r) => r.type === "Text");
  assert.equal(text.length, 1);
  assert.ok(text[0]!.test("/a/readme.md"));
  assert.ok(!text[0]!.test("/a/page.html"));
});

test("a user rule with fallthrough keeps the default rule too", () => {
  const rules = compileModuleRules([{ type: "Text", globs: ["**/*.md"], fallthrough: true }]);
  const text = rules.filter((r) => r.type === "Text");
  assert.equal(text.length, 2);
  assert.ok(text.some((r) => r.test("/a/page.html")));
});
