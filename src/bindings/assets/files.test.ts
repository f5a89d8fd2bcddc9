import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { AssetDirectory, safeRelativePath } from "./files.js";
import { AssetServer } from "./server.js";

describe("asset lookup never leaves the folder", () => {
  let base: string;
  let root: string;
  let files: AssetDirectory;
  let server: AssetServer;
  const get = (p: string) => server.serve({ method: "GET", url: `http://localhost${p}`, headers: new Headers() });

  before(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-assets-"));
    root = path.join(base, "public");
    fs.mkdirSync(path.join(root, "sub"), { recursive: true });
    fs.writeFileSync(path.join(root, "index.html"), "<p>home</p>");
    fs.writeFileSync(path.join(root, "sub", "page.txt"), "inside");
    fs.writeFileSync(path.join(root, "404.html"), "<p>404</p>");
    fs.writeFileSync(path.join(base, "secret.txt"), "outside");
    fs.mkdirSync(path.join(base, "public-secret"));
    fs.writeFileSync(path.join(base, "public-secret", "x.txt"), "sibling");
    fs.symlinkSync(path.join(base, "secret.txt"), path.join(root, "link-out.txt"));
    fs.symlinkSync(base, path.join(root, "dir-out"));
    fs.symlinkSync(path.join(root, "sub", "page.txt"), path.join(root, "link-in.txt"));
    for (const name of ["_headers", "_redirects", "_routes.json", "_worker.js"]) fs.writeFileSync(path.join(root, name), "");
    fs.mkdirSync(path.join(root, ".git"));
    fs.writeFileSync(path.join(root, ".git", "config"), "git");
    fs.mkdirSync(path.join(root, "node_modules", "x"), { recursive: true });
    fs.writeFileSync(path.join(root, "node_modules", "x", "a.js"), "nm");
    files = new AssetDirectory(root);
    server = new AssetServer({ directory: root });
  });
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  test("files inside are found, with a strong ETag and a content type", () => {
    const file = files.find("/sub/page.txt");
    assert.ok(file);
    assert.match(file.etag, /^"[0-9a-f]{32}"$/);
    assert.equal(file.contentType, "text/plain; charset=utf-8");
  });

  test("dot segments are refused, however they are spelled", () => {
    for (const p of ["/../secret.txt", "/sub/../../secret.txt", "/./index.html", "/sub/..", "/.."]) assert.equal(files.find(p), null, p);
    assert.equal(safeRelativePath("/a/../b"), undefined);
  });

  test("backslashes, NUL bytes, empty segments and paths not starting with / are refused", () => {
    for (const p of ["/..\\secret.txt", "/sub\\page.txt", "/sub/page.txt\0", "//secret.txt", "/sub//page.txt", "secret.txt", "../secret.txt", ""]) {
      assert.equal(files.find(p), null, JSON.stringify(p));
    }
  });

  test("an absolute path is looked up inside the folder, not at the file system root", () => {
    assert.equal(files.find(path.join(base, "secret.txt")), null);
    assert.equal(files.find("/etc/passwd"), null);
  });

  test("a sibling folder whose name starts with the folder's name is outside", () => {
    assert.equal(files.find("/../public-secret/x.txt"), null);
  });

  test("symlinks pointing outside are refused; symlinks inside are followed", () => {
    assert.equal(files.find("/link-out.txt"), null);
    assert.equal(files.find("/dir-out/secret.txt"), null);
    assert.equal(files.find("/link-in.txt")?.path, fs.realpathSync(path.join(root, "sub", "page.txt")));
  });

  test("configuration files and tool folders are never served", () => {
    for (const p of ["/_headers", "/_redirects", "/_routes.json", "/_worker.js", "/.git/config", "/node_modules/x/a.js"]) assert.equal(files.find(p), null, p);
  });

  test("through the server: encoded traversal gets the 404 page, never the file", () => {
    for (const p of ["/%2e%2e/secret.txt", "/..%2fsecret.txt", "/%2e%2e%2fsecret.txt", "/sub/%2e%2e%2f%2e%2e%2fsecret.txt", "/%2fetc%2fpasswd", "/..%5csecret.txt", "/link-out.txt", "/dir-out/secret.txt", "/%00"]) {
      const result = get(p);
      assert.equal(result.status, 404, p);
      assert.equal(result.body?.kind === "file" ? path.basename(result.body.path) : undefined, "404.html", p);
    }
  });
});
