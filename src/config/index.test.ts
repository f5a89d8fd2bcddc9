import assert from "node:assert/strict";
import { test } from "node:test";
import * as config from "./index.js";

test("the config folder's public runtime exports are pinned", () => {
  assert.deepEqual(Object.keys(config).sort(), [
    "CONFIG_FILE_NAMES",
    "CONFIG_KEYS",
    "defaultEnvFiles",
    "findConfigPath",
    "keySpec",
    "loadDevVars",
    "planFromConfig",
    "planWorker",
    "readConfig",
    "today",
  ]);
});

test("the key table covers the scopes of api-surface.md 0.2", () => {
  const scopes = (scope: string) =>
    Object.entries(config.CONFIG_KEYS)
      .filter(([, spec]) => spec.scope === scope)
      .map(([key]) => key)
      .sort();
  assert.deepEqual(
    scopes("top-level"),
    ["$schema", "alias", "data_blobs", "dev", "env", "keep_vars", "legacy_env", "pages_build_output_dir", "send_metrics", "site", "text_blobs", "wasm_modules"],
  );
  for (const key of ["name", "main", "compatibility_date", "compatibility_flags", "rules", "triggers", "limits", "assets", "migrations", "route", "routes"]) {
    assert.equal(config.keySpec(key)?.scope, "inherited", key);
  }
  for (const key of ["vars", "define", "secrets", "kv_namespaces", "r2_buckets", "d1_databases", "durable_objects", "services", "queues", "ai", "analytics_engine_datasets"]) {
    assert.equal(config.keySpec(key)?.scope, "not-inherited", key);
  }
  assert.equal(config.keySpec("toString"), undefined);
  assert.equal(config.keySpec("nope"), undefined);
});
