import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { findConfigPath } from "./find.js";

function tempDir(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "hearth-find-")));
}

test("within one folder, wrangler.json beats wrangler.jsonc beats wrangler.toml", () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, "wrangler.toml"), "");
  assert.equal(findConfigPath(dir), path.join(dir, "wrangler.toml"));
  fs.writeFileSync(path.join(dir, "wrangler.jsonc"), "{}");
  assert.equal(findConfigPath(dir), path.join(dir, "wrangler.jsonc"));
  fs.writeFileSync(path.join(dir, "wrangler.json"), "{}");
  assert.equal(findConfigPath(dir), path.join(dir, "wrangler.json"));
});

test("discovery walks up parent folders and the nearest file wins", () => {
  const root = tempDir();
  const deep = path.join(root, "a", "b", "c");
  fs.mkdirSync(deep, { recursive: true });
  fs.writeFileSync(path.join(root, "wrangler.json"), "{}");
  assert.equal(findConfigPath(deep), path.join(root, "wrangler.json"));
  // A toml nearer to the start folder wins over a json further up.
  fs.writeFileSync(path.join(root, "a", "wrangler.toml"), "");
  assert.equal(findConfigPath(deep), path.join(root, "a", "wrangler.toml"));
  // Relative start folders are resolved against the process cwd.
  assert.equal(findConfigPath(path.relative(process.cwd(), deep)), path.join(root, "a", "wrangler.toml"));
});

test("a folder named like a config file is not a config file; nothing found gives undefined", () => {
  const root = tempDir();
  fs.mkdirSync(path.join(root, "wrangler.json"));
  const found = findConfigPath(root);
  // Something above the temp dir could hold a config; it must at least not be the folder.
  assert.ok(found === undefined || !found.startsWith(root), `unexpected ${found}`);
});
