import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { AssetServer, type AssetResult } from "./server.js";

function project(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-asset-server-"));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), content);
  }
  return root;
}

const bodyOf = (r: AssetResult) => (r.body?.kind === "file" ? fs.readFileSync(r.body.path, "utf8") : r.body?.kind === "text" ? r.body.text : null);

describe("asset server", () => {
  const roots: string[] = [];
  after(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));
  const serverFor = (files: Record<string, string>) => {
    const root = project(files);
    roots.push(root);
    const server = new AssetServer({ directory: root });
    return (p: string, init: { method?: string; headers?: Record<string, string> } = {}) =>
      server.serve({ method: init.method ?? "GET", url: `http://localhost${p}`, headers: new Headers(init.headers) });
  };

  const site = {
    "index.html": "home",
    "about.html": "about",
    "sub/index.html": "sub",
    "docs/404.html": "docs 404",
    "404.html": "top 404",
    "style.css": "css",
    "both.html": "both html",
    both: "both plain",
  };

  test("pretty URLs: /x serves x.html, /dir/ serves its index.html", () => {
    const get = serverFor(site);
    assert.equal(bodyOf(get("/")), "home");
    assert.equal(bodyOf(get("/about")), "about");
    assert.equal(bodyOf(get("/sub/")), "sub");
  });

  test("HTML handling redirects with 308 and keeps the query", () => {
    const get = serverFor(site);
    const cases: [string, string][] = [
      ["/about.html", "/about"],
      ["/about/", "/about"],
      ["/index.html", "/"],
      ["/sub", "/sub/"],
      ["/sub/index.html", "/sub/"],
      ["/sub/index", "/sub/"],
      ["/sub/index/", "/sub/"],
      ["/about.html?x=1", "/about?x=1"],
    ];
    for (const [from, to] of cases) {
      const r = get(from);
      assert.equal(r.status, 308, from);
      assert.equal(r.headers.get("location"), to, from);
      assert.equal(r.body, null);
    }
  });

  test("/x.html is served as it is when /x is an asset too", () => {
    assert.equal(bodyOf(serverFor(site)("/both.html")), "both html");
  });

  test("the nearest 404.html answers with 404 and no-store", () => {
    const get = serverFor(site);
    const deep = get("/docs/a/b");
    assert.equal(deep.status, 404);
    assert.equal(bodyOf(deep), "docs 404");
    assert.equal(deep.headers.get("cache-control"), "no-store");
    assert.equal(bodyOf(get("/nope")), "top 404");
  });

  test("without any 404.html the top index.html answers with 200 (single-page app); without it, an empty 404", () => {
    const spa = serverFor({ "index.html": "shell", "a.js": "js" });
    const r = spa("/dashboard/settings");
    assert.equal(r.status, 200);
    assert.equal(bodyOf(r), "shell");
    const bare = serverFor({ "a.js": "js" })("/missing");
    assert.equal(bare.status, 404);
    assert.equal(bare.body, null);
  });

  test("default headers, strong ETag, If-None-Match gives 304, no cache-control with Authorization", () => {
    const get = serverFor(site);
    const r = get("/style.css");
    assert.equal(r.headers.get("content-type"), "text/css; charset=utf-8");
    assert.equal(r.headers.get("access-control-allow-origin"), "*");
    assert.equal(r.headers.get("referrer-policy"), "strict-origin-when-cross-origin");
    assert.equal(r.headers.get("x-content-type-options"), "nosniff");
    assert.equal(r.headers.get("cache-control"), "public, max-age=0, must-revalidate");
    const etag = r.headers.get("etag")!;
    assert.match(etag, /^"[0-9a-f]+"$/);
    assert.equal(get("/style.css", { headers: { "if-none-match": etag } }).status, 304);
    assert.equal(get("/style.css", { headers: { "if-none-match": `W/${etag}` } }).status, 304);
    assert.equal(get("/style.css", { headers: { authorization: "x" } }).headers.get("cache-control"), null);
  });

  test("other methods than GET and HEAD get 405; HEAD has no body", () => {
    const get = serverFor(site);
    assert.equal(get("/style.css", { method: "POST" }).status, 405);
    assert.equal(get("/nothing", { method: "DELETE" }).status, 405);
    const head = get("/style.css", { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.body, null);
  });

  test("_redirects and _headers apply, and are read again after an edit", () => {
    const files = { ...site, _redirects: "/old /about 301\n", _headers: "/*\n  X-Test: one\n" };
    const root = project(files);
    roots.push(root);
    const server = new AssetServer({ directory: root });
    const get = (p: string) => server.serve({ method: "GET", url: `http://localhost${p}`, headers: new Headers() });
    assert.equal(get("/old").headers.get("location"), "/about");
    assert.equal(get("/").headers.get("x-test"), "one");
    fs.writeFileSync(path.join(root, "_headers"), "/*\n  X-Test: two, longer\n");
    fs.writeFileSync(path.join(root, "_redirects"), "/old /sub/ 302\n");
    assert.equal(get("/").headers.get("x-test"), "two, longer");
    const moved = get("/old");
    assert.equal(moved.status, 302);
    assert.equal(bodyOf(moved), "Redirecting to /sub/");
  });

  test("invalid rule lines are reported through warn", () => {
    const root = project({ ...site, _redirects: "/a\n/b /c 999\n" });
    roots.push(root);
    const warnings: string[] = [];
    new AssetServer({ directory: root, warn: (m) => warnings.push(m) }).serve({ method: "GET", url: "http://localhost/", headers: new Headers() });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /Expected exactly 2 or 3 whitespace-separated tokens\. Got 1\./);
    assert.match(warnings[0]!, /Valid status codes are 200, 301, 302 \(default\), 303, 307, or 308\. Got 999\./);
  });
});
