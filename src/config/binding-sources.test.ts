import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { resolveBindings, unsupportedBindingNotes } from "./binding-sources.js";
import { readConfig } from "./read-config.js";

test("precedence: defaults < config < secrets < CLI vars < CLI bindings; vars never replace another kind", () => {
  const bindings = resolveBindings({
    defaults: { D: "default", ALL: "default" },
    config: { vars: { ALL: "config", OBJ: { a: 1 }, KV_NAME: "var" }, kv_namespaces: [{ binding: "NS", id: "n" }] },
    secrets: { ALL: "secret", OBJ: "now-a-string", NS: "secret-cannot-replace-kv" },
    cliVars: { ALL: "cli", NS: "cli-var-cannot-replace-kv" },
    cliBindings: [{ kind: "kv", name: "KV_NAME", namespaceId: "x", dir: "/tmp/x" }],
    stateRoot: "/state",
    workerName: "worker",
  });
  const byName = Object.fromEntries(bindings.map((b) => [b.name, b]));
  assert.deepEqual(byName["D"], { kind: "text", name: "D", value: "default", secret: false });
  assert.deepEqual(byName["ALL"], { kind: "text", name: "ALL", value: "cli", secret: false });
  assert.deepEqual(byName["OBJ"], { kind: "text", name: "OBJ", value: "now-a-string", secret: true });
  assert.equal(byName["NS"]?.kind, "kv");
  assert.equal(byName["KV_NAME"]?.kind, "kv");
});

test("Workers AI is a binding now, not a warning", () => {
  assert.deepEqual(unsupportedBindingNotes({ d1_databases: [], ai: { binding: "AI" } }), []);
});

test("[ai] gives an AI descriptor: HEARTH_AI_BASE_URL wins over base_url, [ai.models] over the defaults", () => {
  const resolve = (processEnv: Record<string, string>) =>
    resolveBindings({
      config: { ai: { binding: "AI", base_url: "http://127.0.0.1:8080/v1/", models: { "@cf/meta/llama-3.1-8b-instruct": "qwen2.5:0.5b", "@cf/x/custom": "custom:1b" } } },
      secrets: { AI: "a secret cannot replace the binding" },
      cliVars: {},
      stateRoot: "/state",
      workerName: "worker",
      configPath: "/project/wrangler.toml",
      processEnv,
    }).find((b) => b.name === "AI");
  const fromConfig = resolve({});
  assert.equal(fromConfig?.kind, "ai");
  if (fromConfig?.kind !== "ai") return;
  assert.equal(fromConfig.baseUrl, "http://127.0.0.1:8080/v1");
  assert.equal(fromConfig.baseUrlSource, "base_url in the [ai] table of wrangler.toml");
  assert.equal(fromConfig.apiKey, undefined);
  assert.equal(fromConfig.models["@cf/meta/llama-3.1-8b-instruct"], "qwen2.5:0.5b");
  assert.equal(fromConfig.models["@cf/x/custom"], "custom:1b");
  assert.equal(fromConfig.models["@cf/baai/bge-small-en-v1.5"], "bge-small-en-v1.5");
  const fromEnv = resolve({ HEARTH_AI_BASE_URL: "http://localhost:11434", HEARTH_AI_API_KEY: "sk-local" });
  assert.ok(fromEnv?.kind === "ai");
  assert.equal(fromEnv.baseUrl, "http://localhost:11434/v1");
  assert.equal(fromEnv.baseUrlSource, "HEARTH_AI_BASE_URL");
  assert.equal(fromEnv.apiKey, "sk-local");
});

test("Hearth's [ai] keys (base_url, models) are known: no unexpected-field warning for them", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-ai-config-"));
  try {
    const toml = ['name = "w"', "[ai]", 'binding = "AI"', 'base_url = "http://localhost:11434/v1"', "typo = 1", "[ai.models]", '"@cf/meta/llama-3.1-8b-instruct" = "llama3.2:1b"'];
    fs.writeFileSync(path.join(dir, "wrangler.toml"), toml.join("\n"));
    const loaded = readConfig({ cwd: dir });
    assert.deepEqual(loaded.config.ai, { binding: "AI", base_url: "http://localhost:11434/v1", typo: 1, models: { "@cf/meta/llama-3.1-8b-instruct": "llama3.2:1b" } });
    assert.deepEqual(loaded.warnings.filter((w) => w.includes("ai")), ['Unexpected fields found in ai field: "typo"']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
