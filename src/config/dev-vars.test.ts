import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { loadDevVars } from "./dev-vars.js";

function project(files: Record<string, string>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "hearth-devvars-")));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** An empty process environment, so the machine's variables never leak into a test. */
const noEnv: NodeJS.ProcessEnv = {};

test(".dev.vars is read when present", () => {
  const dir = project({ ".dev.vars": "A=1\nB=two\n", ".env": "C=3\n" });
  const result = loadDevVars({ dir, processEnv: noEnv });
  assert.deepEqual(result.vars, { A: "1", B: "two" });
  assert.deepEqual(result.files, [path.join(dir, ".dev.vars")]);
  assert.deepEqual(result.missingRequired, []);
  assert.equal(result.usedProcessEnv, false);
});

test(".dev.vars.<env> replaces .dev.vars entirely (no merge) when the env is selected", () => {
  const dir = project({ ".dev.vars": "A=base\nB=base\n", ".dev.vars.staging": "A=staging\n" });
  const result = loadDevVars({ dir, env: "staging", processEnv: noEnv });
  assert.deepEqual(result.vars, { A: "staging" });
  assert.deepEqual(result.files, [path.join(dir, ".dev.vars.staging")]);
});

test("with an env selected but no .dev.vars.<env>, .dev.vars is used", () => {
  const dir = project({ ".dev.vars": "A=base\n", ".dev.vars.other": "A=other\n" });
  assert.deepEqual(loadDevVars({ dir, env: "staging", processEnv: noEnv }).vars, { A: "base" });
});

test("when a .dev.vars file was read, .env files are not read at all", () => {
  const dir = project({ ".dev.vars.staging": "A=1\n", ".env": "B=2\n", ".env.staging": "C=3\n" });
  const result = loadDevVars({ dir, env: "staging", processEnv: noEnv });
  assert.deepEqual(result.vars, { A: "1" });
  assert.equal(result.files.length, 1);
});

test(".env files layer: .env < .env.local < .env.<env> < .env.<env>.local", () => {
  const dir = project({
    ".env": "A=env\nB=env\nC=env\nD=env\nONLY_BASE=yes\n",
    ".env.local": "B=local\nC=local\nD=local\n",
    ".env.staging": "C=staging\nD=staging\n",
    ".env.staging.local": "D=staging-local\n",
  });
  const result = loadDevVars({ dir, env: "staging", processEnv: noEnv });
  assert.deepEqual(result.vars, { A: "env", B: "local", C: "staging", D: "staging-local", ONLY_BASE: "yes" });
  assert.deepEqual(
    result.files,
    [".env", ".env.local", ".env.staging", ".env.staging.local"].map((f) => path.join(dir, f)),
  );
  // Without an env only the first two are read.
  assert.deepEqual(loadDevVars({ dir, processEnv: noEnv }).vars, { A: "env", B: "local", C: "local", D: "local", ONLY_BASE: "yes" });
});

test("${VAR} expansion applies to .env values, across files, but not to .dev.vars", () => {
  const envDir = project({ ".env": "HOST=example.com\nURL=https://${HOST}/api\n", ".env.local": "FULL=${URL}?x=1\nMISSING=${NOPE:-fallback}\n" });
  assert.deepEqual(loadDevVars({ dir: envDir, processEnv: noEnv }).vars, {
    HOST: "example.com",
    URL: "https://example.com/api",
    FULL: "https://example.com/api?x=1",
    MISSING: "fallback",
  });
  const devDir = project({ ".dev.vars": "HOST=example.com\nURL=https://${HOST}/api\n" });
  assert.equal(loadDevVars({ dir: devDir, processEnv: noEnv }).vars["URL"], "https://${HOST}/api");
});

test("dotenv syntax: quotes, comments, export, multiline quoted values; values stay strings", () => {
  const dir = project({
    ".dev.vars": [
      "# a comment",
      "PLAIN=hello world # trailing comment",
      "SINGLE='it''s # not a comment'",
      'DOUBLE="line1\\nline2"',
      'MULTI="first',
      'second"',
      "export EXPORTED=yes",
      "NUMBER=42",
      'JSON={"a":1}',
      "EMPTY=",
    ].join("\n"),
  });
  const { vars } = loadDevVars({ dir, processEnv: noEnv });
  assert.equal(vars["PLAIN"], "hello world");
  assert.equal(vars["DOUBLE"], "line1\nline2");
  assert.equal(vars["MULTI"], "first\nsecond");
  assert.equal(vars["EXPORTED"], "yes");
  assert.equal(vars["NUMBER"], "42");
  assert.equal(vars["JSON"], '{"a":1}');
  assert.equal(vars["EMPTY"], "");
  for (const value of Object.values(vars)) assert.equal(typeof value, "string");
});

test("CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV=false stops .env loading (but not .dev.vars)", () => {
  const dir = project({ ".env": "A=1\n" });
  const result = loadDevVars({ dir, processEnv: { CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV: "false" } });
  assert.deepEqual(result, { vars: {}, files: [], missingRequired: [], usedProcessEnv: false });
  const withDevVars = project({ ".dev.vars": "B=2\n" });
  assert.deepEqual(loadDevVars({ dir: withDevVars, processEnv: { CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV: "false" } }).vars, { B: "2" });
});

test("CLOUDFLARE_INCLUDE_PROCESS_ENV=true merges the process env, which wins over .env values", () => {
  const dir = project({ ".env": "A=file\nB=file\nREF=${FROM_SHELL}\n" });
  const processEnv = { CLOUDFLARE_INCLUDE_PROCESS_ENV: "true", A: "shell", FROM_SHELL: "s" };
  const result = loadDevVars({ dir, processEnv });
  assert.equal(result.usedProcessEnv, true);
  assert.equal(result.vars["A"], "shell");
  assert.equal(result.vars["B"], "file");
  assert.equal(result.vars["REF"], "s");
  assert.equal(result.vars["FROM_SHELL"], "s");
  // Not included by default.
  const plain = loadDevVars({ dir, processEnv: { A: "shell", FROM_SHELL: "s" } });
  assert.deepEqual(plain.vars, { A: "file", B: "file", REF: "" });
  assert.equal(plain.usedProcessEnv, false);
});

test("envFiles replaces the default list, resolved against dir, later overriding earlier; .dev.vars is skipped", () => {
  const dir = project({ ".dev.vars": "DEV=1\n", ".env": "DEFAULT=1\n", "cfg/one.env": "A=one\nB=one\n", "two.env": "B=two\n" });
  const result = loadDevVars({ dir, envFiles: ["cfg/one.env", path.join(dir, "two.env"), "missing.env"], processEnv: noEnv });
  assert.deepEqual(result.vars, { A: "one", B: "two" });
  assert.deepEqual(result.files, [path.join(dir, "cfg/one.env"), path.join(dir, "two.env")]);
});

test("required secrets: only listed keys are kept, missing ones reported, process env included", () => {
  const dir = project({ ".dev.vars": "A=1\nB=2\nEXTRA=3\n" });
  const result = loadDevVars({ dir, required: ["A", "B", "C"], processEnv: { C: "shell" } });
  // .dev.vars was read, so the process env is not consulted (wrangler only merges it with .env files).
  assert.deepEqual(result.vars, { A: "1", B: "2" });
  assert.deepEqual(result.missingRequired, ["C"]);

  const envDir = project({ ".env": "A=1\nEXTRA=3\n" });
  const fromEnv = loadDevVars({ dir: envDir, required: ["A", "C", "D"], processEnv: { C: "shell", UNRELATED: "x" } });
  assert.deepEqual(fromEnv.vars, { A: "1", C: "shell" });
  assert.deepEqual(fromEnv.missingRequired, ["D"]);
  assert.equal(fromEnv.usedProcessEnv, true);
});

test("no files at all gives empty vars", () => {
  const dir = project({});
  assert.deepEqual(loadDevVars({ dir, env: "x", processEnv: noEnv }), { vars: {}, files: [], missingRequired: [], usedProcessEnv: false });
});
