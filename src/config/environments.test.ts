import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { isHearthError } from "../shared/errors.js";
import { mergeEnvironment } from "./environments.js";
import { readConfig } from "./read-config.js";

function project(files: Record<string, string>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "hearth-env-")));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const TOML = `
name = "app"
main = "src/index.ts"
compatibility_date = "2024-09-23"
compatibility_flags = ["nodejs_compat"]
minify = true
alias = { "lodash" = "lodash-es" }

[dev]
port = 9000

[vars]
MODE = "top"
SHARED = "top"

[[kv_namespaces]]
binding = "CACHE"
id = "top-cache"

[[d1_databases]]
binding = "DB"
database_id = "top-db"

[env.staging]
compatibility_flags = ["nodejs_compat", "streams_enable_constructors"]

[env.staging.vars]
MODE = "staging"

[[env.staging.kv_namespaces]]
binding = "CACHE"
id = "staging-cache"

[env.named]
name = "custom"
`;

test("without --env the effective config is the top level, minus env and $schema", () => {
  const dir = project({ "wrangler.toml": TOML });
  const { config, envName, warnings } = readConfig({ cwd: dir });
  assert.equal(envName, undefined);
  assert.equal(config.name, "app");
  assert.equal("env" in config, false);
  assert.deepEqual(config.vars, { MODE: "top", SHARED: "top" });
  assert.deepEqual(warnings, []);
});

test("inheritable keys fall back to the top level; the env's own value wins", () => {
  const dir = project({ "wrangler.toml": TOML });
  const { config } = readConfig({ cwd: dir, env: "staging" });
  assert.equal(config.main, "src/index.ts");
  assert.equal(config.compatibility_date, "2024-09-23");
  assert.equal(config.minify, true);
  assert.deepEqual(config.compatibility_flags, ["nodejs_compat", "streams_enable_constructors"]);
});

test("top-level-only keys (dev, alias) always come from the top level", () => {
  const dir = project({ "wrangler.toml": TOML });
  const { config } = readConfig({ cwd: dir, env: "staging" });
  assert.deepEqual(config.dev, { port: 9000 });
  assert.deepEqual(config.alias, { lodash: "lodash-es" });
});

test("non-inheritable keys are not inherited, and wrangler's warnings say so", () => {
  const dir = project({ "wrangler.toml": TOML });
  const { config, warnings } = readConfig({ cwd: dir, env: "staging" });
  assert.deepEqual(config.vars, { MODE: "staging" });
  assert.deepEqual(config.kv_namespaces, [{ binding: "CACHE", id: "staging-cache" }]);
  assert.equal(config.d1_databases, undefined);
  assert.ok(
    warnings.includes(
      `"d1_databases" exists at the top level, but not on "env.staging".\n` +
        `This is not what you probably want, since "d1_databases" is not inherited by environments.\n` +
        `Please add "d1_databases" to "env.staging".`,
    ),
    warnings.join("\n---\n"),
  );
  assert.ok(warnings.some((w) => w.startsWith(`"vars.SHARED" exists at the top level, but not on "env.staging.vars".`)));
  assert.ok(!warnings.some((w) => w.startsWith(`"vars.MODE"`)));
  assert.ok(!warnings.some((w) => w.startsWith(`"kv_namespaces" exists`)));
});

test("name becomes <name>-<env> unless the env sets its own name", () => {
  const dir = project({ "wrangler.toml": TOML });
  assert.equal(readConfig({ cwd: dir, env: "staging" }).config.name, "app-staging");
  assert.equal(readConfig({ cwd: dir, env: "named" }).config.name, "custom");
});

test("an env with no vars at all gets none, with a warning for every non-inherited key it lacks", () => {
  const dir = project({ "wrangler.toml": TOML });
  const { config, warnings } = readConfig({ cwd: dir, env: "named" });
  assert.equal(config.vars, undefined);
  assert.equal(config.kv_namespaces, undefined);
  for (const key of ["vars", "kv_namespaces", "d1_databases"]) {
    assert.ok(warnings.some((w) => w.startsWith(`"${key}" exists at the top level, but not on "env.named".`)), key);
  }
});

test("a top-level-only key inside an env is warned about and ignored, as wrangler does", () => {
  const dir = project({
    "wrangler.json": JSON.stringify({ name: "a", dev: { port: 1 }, env: { staging: { dev: { port: 2 }, keep_vars: true } } }),
  });
  const { config, warnings } = readConfig({ cwd: dir, env: "staging" });
  assert.deepEqual(config.dev, { port: 1 });
  assert.equal(config.keep_vars, undefined);
  assert.ok(warnings.some((w) => w.startsWith(`Unexpected fields found in env.staging field: "dev","keep_vars"`)), warnings.join("\n"));
});

test("type errors inside the selected env name the env key path", () => {
  const dir = project({ "wrangler.toml": `name = "a"\n[env.staging]\nkv_namespaces = [{ binding = 42 }]\n` });
  assert.throws(
    () => readConfig({ cwd: dir, env: "staging" }),
    (error: unknown) =>
      isHearthError(error) &&
      error.code === "ERR_CONFIG_INVALID" &&
      error.context.key === "env.staging.kv_namespaces[0].binding" &&
      error.message === `wrangler.toml: "env.staging.kv_namespaces[0].binding" should be a string but got 42`,
  );
  // The broken env is not looked at when another is selected.
  assert.doesNotThrow(() => readConfig({ cwd: dir }));
});

test("mergeEnvironment without a section (env undeclared, no envs in the file) only suffixes the name", () => {
  const { config, warnings } = mergeEnvironment({ name: "a", vars: { A: "1" }, env: {} }, "dev", undefined);
  assert.deepEqual(config, { name: "a-dev", vars: { A: "1" } });
  assert.deepEqual(warnings, []);
});
