import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { isHearthError } from "../shared/errors.js";
import { readConfig } from "./read-config.js";

function tempDir(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "hearth-read-")));
}

function write(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

function catchError(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    assert.ok(isHearthError(error), String(error));
    return error;
  }
  assert.fail("expected a HearthError");
}

test("a discovered file in a parent folder sets path and dir; cwd is where discovery starts", () => {
  const root = tempDir();
  const file = write(root, "wrangler.jsonc", `{ "name": "w", // comment\n "main": "src/index.ts", }`);
  const cwd = path.join(root, "packages", "app");
  fs.mkdirSync(cwd, { recursive: true });
  const loaded = readConfig({ cwd });
  assert.equal(loaded.path, file);
  assert.equal(loaded.dir, root);
  assert.deepEqual(loaded.config, { name: "w", main: "src/index.ts" });
  assert.equal(loaded.isPages, false);
});

test("-c is resolved against cwd and overrides discovery", () => {
  const root = tempDir();
  write(root, "wrangler.toml", `name = "discovered"`);
  const other = write(root, "configs/other.toml", `name = "chosen"`);
  const loaded = readConfig({ cwd: root, configPath: "configs/other.toml" });
  assert.equal(loaded.path, other);
  assert.equal(loaded.dir, path.join(root, "configs"));
  assert.equal(loaded.config.name, "chosen");
});

test("-c naming a missing file is ERR_CONFIG_MISSING naming the path", () => {
  const root = tempDir();
  const error = catchError(() => readConfig({ cwd: root, configPath: "nope/wrangler.toml" }));
  assert.equal(error.code, "ERR_CONFIG_MISSING");
  assert.equal(error.context.file, path.join(root, "nope", "wrangler.toml"));
  assert.ok(error.message.includes(path.join(root, "nope", "wrangler.toml")));
});

test("no config file anywhere gives an empty config rooted at the cwd", (t) => {
  const root = tempDir();
  // The temp folder's parents might hold a wrangler file on some machines; skip rather than lie.
  const loaded = readConfig({ cwd: root });
  if (loaded.path !== undefined) return t.skip(`a config exists above the temp dir: ${loaded.path}`);
  assert.deepEqual(loaded, { dir: root, config: {}, envName: undefined, isPages: false, warnings: [] });
  assert.deepEqual(readConfig({ cwd: root, env: "staging" }).envName, "staging");
});

test("wrong types are ERR_CONFIG_INVALID naming file (relative to cwd), key and expected type", () => {
  const root = tempDir();
  const file = write(root, "wrangler.toml", `name = "a"\n[[kv_namespaces]]\nbinding = 42\n`);
  const error = catchError(() => readConfig({ cwd: root }));
  assert.equal(error.code, "ERR_CONFIG_INVALID");
  assert.equal(error.context.file, file);
  assert.equal(error.context.key, "kv_namespaces[0].binding");
  assert.equal(error.message, `wrangler.toml: "kv_namespaces[0].binding" should be a string but got 42`);
});

test("parse errors from readConfig carry the absolute file and a cwd-relative name with position", () => {
  const root = tempDir();
  const file = write(root, "wrangler.json", `{\n  "name": "a",\n  "main": ,\n}`);
  const error = catchError(() => readConfig({ cwd: root }));
  assert.equal(error.code, "ERR_CONFIG_PARSE");
  assert.equal(error.context.file, file);
  assert.equal(error.message, "wrangler.json:3:11: invalid JSON: value expected");
});

test("duplicate binding names are ERR_CONFIG_INVALID naming the binding", () => {
  const root = tempDir();
  write(root, "wrangler.toml", `[vars]\nX = "1"\n[[r2_buckets]]\nbinding = "X"\n`);
  const error = catchError(() => readConfig({ cwd: root }));
  assert.equal(error.code, "ERR_CONFIG_INVALID");
  assert.equal(error.context.binding, "X");
});

test("unknown keys and a bad compatibility_date are warnings; the date is dropped", () => {
  const root = tempDir();
  write(root, "wrangler.toml", `name = "a"\ncompatibility_date = "2024-13-01"\nmian = "typo.ts"\n`);
  const loaded = readConfig({ cwd: root });
  assert.deepEqual(loaded.config, { name: "a" });
  assert.equal(loaded.warnings.length, 2);
  assert.match(loaded.warnings[0]!, /"compatibility_date" should be a date in the form YYYY-MM-DD but got "2024-13-01"/);
  assert.equal(loaded.warnings[1], `Unexpected fields found in top-level field: "mian"`);
});

test("selecting an env the file lacks is an error naming the env and the file", () => {
  const root = tempDir();
  const file = write(root, "wrangler.toml", `name = "a"\n[env.staging]\n`);
  const error = catchError(() => readConfig({ cwd: root, env: "prod" }));
  assert.equal(error.code, "ERR_CONFIG_INVALID");
  assert.equal(error.context.file, file);
  assert.equal(error.context.key, "env.prod");
  assert.match(error.message, /^wrangler\.toml: No environment found in configuration with name "prod"\./);
  assert.match(error.message, /The available configured environment names are: \["staging"\]/);
  assert.match(error.message, /\[env\.prod\]/);
});

test("an env selected on a file without any envs is only a warning, as in wrangler", () => {
  const root = tempDir();
  write(root, "wrangler.json", JSON.stringify({ name: "a", vars: { A: "1" } }));
  const loaded = readConfig({ cwd: root, env: "dev" });
  assert.equal(loaded.envName, "dev");
  assert.deepEqual(loaded.config, { name: "a-dev", vars: { A: "1" } });
  assert.equal(loaded.warnings.length, 1);
  assert.match(loaded.warnings[0]!, /^No environment found in configuration with name "dev"\./);
  assert.match(loaded.warnings[0]!, /"env": \{\n {2}"dev": \{\}\n\}/);
});

test("Pages configs: isPages, top-level fallback for a missing env, unsupported env names warned", () => {
  const root = tempDir();
  write(
    root,
    "wrangler.toml",
    `name = "site"\npages_build_output_dir = "./dist"\n[vars]\nA = "top"\n[env.preview.vars]\nA = "preview"\n[env.staging]\n`,
  );
  const top = readConfig({ cwd: root });
  assert.equal(top.isPages, true);
  assert.equal(top.config.pages_build_output_dir, "./dist");
  assert.match(top.warnings[0]!, /not supported by Pages projects:\n"staging"\./);
  assert.deepEqual(readConfig({ cwd: root, env: "production" }).config.vars, { A: "top" });
  assert.deepEqual(readConfig({ cwd: root, env: "preview" }).config.vars, { A: "preview" });
});

test("vars keep their JSON types; only strings are strings", () => {
  const root = tempDir();
  write(root, "wrangler.toml", `[vars]\nS = "1"\nN = 1\nB = true\nO = { a = [1, "x"] }\nD = 2024-01-02\n`);
  assert.deepEqual(readConfig({ cwd: root }).config.vars, { S: "1", N: 1, B: true, O: { a: [1, "x"] }, D: "2024-01-02" });
});
