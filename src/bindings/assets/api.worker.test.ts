import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { createAssetsFetcher } from "./api.worker.js";
import { AssetServer } from "./server.js";

describe("env.ASSETS.fetch", () => {
  let root: string;
  let assets: ReturnType<typeof createAssetsFetcher>;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-assets-api-"));
    fs.mkdirSync(path.join(root, "docs"));
    fs.writeFileSync(path.join(root, "docs", "page.html"), "<p>doc</p>");
    fs.writeFileSync(path.join(root, "404.html"), "<p>404</p>");
    fs.writeFileSync(path.join(root, "_redirects"), "/loop-a /loop-b\n/loop-b /loop-a\n");
    assets = createAssetsFetcher(new AssetServer({ directory: root }));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  test("serves by path, whatever the host; accepts a Request, a URL, a string or a bare path", async () => {
    for (const input of [new Request("http://a.example/docs/page"), new URL("https://b.example/docs/page"), "http://c.example/docs/page", "/docs/page"]) {
      const res = await assets.fetch(input);
      assert.equal(res.status, 200);
      assert.equal(await res.text(), "<p>doc</p>");
      assert.equal(res.headers.get("content-type"), "text/html; charset=utf-8");
    }
  });

  test("follows redirects by default; redirect: manual returns the 3xx", async () => {
    const followed = await assets.fetch("http://h/docs/page.html");
    assert.equal(followed.status, 200);
    const manual = await assets.fetch("http://h/docs/page.html", { redirect: "manual" });
    assert.equal(manual.status, 308);
    assert.equal(manual.headers.get("location"), "/docs/page");
    await assert.rejects(assets.fetch("http://h/docs/page.html", { redirect: "error" }), TypeError);
  });

  test("a redirect loop ends with a TypeError", async () => {
    await assert.rejects(assets.fetch("http://h/loop-a"), /too many redirects/);
  });

  test("missing assets get the 404 page", async () => {
    const res = await assets.fetch("http://h/nothing.txt");
    assert.equal(res.status, 404);
    assert.equal(await res.text(), "<p>404</p>");
  });
});
