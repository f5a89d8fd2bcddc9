import assert from "node:assert/strict";
import { test } from "node:test";
import { isHearthError } from "../shared/errors.js";
import { findDuplicateBindings, isValidDate, throwIfProblems, validateSection } from "./validate.js";

test("a well-formed section has no errors and no warnings", () => {
  const d = validateSection({
    name: "w",
    main: "src/index.ts",
    compatibility_date: "2024-09-23",
    compatibility_flags: ["nodejs_compat"],
    vars: { A: "x", B: 1, C: { deep: [true] } },
    kv_namespaces: [{ binding: "KV", id: "1", preview_id: "2", remote: false }],
    durable_objects: { bindings: [{ name: "DO", class_name: "C", script_name: "other" }] },
    queues: { producers: [{ binding: "Q", queue: "q" }], consumers: [{ queue: "q", max_concurrency: null }] },
    routes: ["example.com/*", { pattern: "a.example.com/*", zone_name: "example.com" }],
    assets: { directory: "public", run_worker_first: ["/api/*", "!/api/static/*"] },
    build: { watch_dir: ["src", "lib"] },
    dev: { port: 8787, local_protocol: "https" },
    triggers: { crons: ["* * * * *"] },
    rules: [{ type: "Text", globs: ["**/*.md"], fallthrough: true }],
    env: { staging: {} },
    $schema: "x",
  });
  assert.deepEqual(d, { errors: [], warnings: [], ignored: [] });
});

test("wrong types name the key path, what was expected and what was found", () => {
  const d = validateSection({
    name: 42,
    kv_namespaces: [{ binding: "OK" }, { binding: 42 }],
    dev: { port: "8787", local_protocol: "ftp" },
    compatibility_flags: "nodejs_compat",
    triggers: {},
    vars: "nope",
  });
  assert.deepEqual(
    d.errors.map((e) => [e.key, e.message]),
    [
      ["name", `"name" should be a string but got 42`],
      ["kv_namespaces[1].binding", `"kv_namespaces[1].binding" should be a string but got 42`],
      ["dev.port", `"dev.port" should be a number but got "8787"`],
      ["dev.local_protocol", `"dev.local_protocol" should be one of "http", "https" but got "ftp"`],
      ["compatibility_flags", `"compatibility_flags" should be an array of strings but got "nodejs_compat"`],
      ["triggers.crons", `"triggers.crons" is a required field`],
      ["vars", `"vars" should be an object but got "nope"`],
    ],
  );
});

test("keys inside an env section carry the env prefix", () => {
  const d = validateSection({ r2_buckets: [{ bucket_name: "b" }], services: [{ binding: "S", service: 1 }] }, "staging");
  assert.deepEqual(
    d.errors.map((e) => e.message),
    [`"env.staging.r2_buckets[0].binding" is a required field`, `"env.staging.services[0].service" should be a string but got 1`],
  );
});

test("unions check the option matching the value's kind, or report the union's label", () => {
  const d = validateSection({
    route: { pattern: 1, zone_name: "z" },
    routes: [true],
    assets: { run_worker_first: "yes" },
    queues: { consumers: [{ queue: "q", max_concurrency: "1" }] },
  });
  assert.deepEqual(
    d.errors.map((e) => e.message),
    [
      `"route.pattern" should be a string but got 1`,
      `"routes[0]" should be a string or an object with a "pattern" but got true`,
      `"assets.run_worker_first" should be a boolean or an array of strings but got "yes"`,
      `"queues.consumers[0].max_concurrency" should be a number or null but got "1"`,
    ],
  );
});

test("unknown keys are warnings in wrangler's words, at the top level and inside objects", () => {
  const d = validateSection({ name: "w", nmae: "typo", other: 1, kv_namespaces: [{ binding: "K", namespace: "x" }] });
  assert.deepEqual(d.errors, []);
  assert.deepEqual(d.warnings, [
    `Unexpected fields found in kv_namespaces[0] field: "namespace"`,
    `Unexpected fields found in top-level field: "nmae","other"`,
  ]);
});

test("top-level-only keys inside an env are warned about, not validated", () => {
  const d = validateSection({ dev: { port: "not checked" }, site: 1, name: "ok" }, "staging");
  assert.deepEqual(d.errors, []);
  assert.equal(d.warnings.length, 1);
  assert.match(d.warnings[0]!, /^Unexpected fields found in env\.staging field: "dev","site"\n/);
  assert.match(d.warnings[0]!, /"dev", "site" can only be set at the top level/);
});

test("a bad compatibility_date is a warning and the key is marked ignored, never an error", () => {
  for (const bad of ["2024-1-1", "2024-02-30", "yesterday", 20240101]) {
    const d = validateSection({ compatibility_date: bad });
    assert.deepEqual(d.errors, [], String(bad));
    assert.deepEqual(d.ignored, ["compatibility_date"], String(bad));
    assert.match(d.warnings[0]!, /"compatibility_date" should be a date in the form YYYY-MM-DD/);
  }
  assert.ok(isValidDate("2024-02-29"));
  assert.ok(!isValidDate("2023-02-29"));
});

test("vars names that are not identifiers are quoted in key paths", () => {
  const d = validateSection({ define: { "process.env.X": 1 } });
  assert.equal(d.errors[0]?.key, `define["process.env.X"]`);
});

test("binding names must be unique across kinds", () => {
  const problems = findDuplicateBindings({
    vars: { SHARED: "x", FINE: "y" },
    kv_namespaces: [{ binding: "SHARED" }, { binding: "TWICE" }, { binding: "TWICE" }],
    durable_objects: { bindings: [{ name: "DO", class_name: "C" }] },
    queues: { producers: [{ binding: "DO", queue: "q" }], consumers: [{ queue: "consumers" }] },
  });
  // In the order of the key table (vars, durable_objects, kv_namespaces ...).
  assert.deepEqual(
    problems.map((p) => [p.binding, p.message]),
    [
      ["SHARED", `"SHARED" is assigned to Environment Variable and KV Namespace bindings; binding names must be unique`],
      ["DO", `"DO" is assigned to Durable Object and Queue bindings; binding names must be unique`],
      ["TWICE", `"TWICE" is assigned to multiple KV Namespace bindings; binding names must be unique`],
    ],
  );
  assert.deepEqual(findDuplicateBindings({ vars: { A: "1" }, kv_namespaces: [{ binding: "B" }], assets: { directory: "x" } }), []);
});

test("problems are thrown as one ERR_CONFIG_INVALID naming the file and the first key", () => {
  assert.doesNotThrow(() => throwIfProblems([], "/p/wrangler.toml", "wrangler.toml"));
  try {
    throwIfProblems(
      [
        { key: "a", message: `"a" should be a string but got 1` },
        { key: "b", message: `"b" is a required field` },
      ],
      "/p/wrangler.toml",
      "wrangler.toml",
    );
    assert.fail("expected a throw");
  } catch (error) {
    assert.ok(isHearthError(error));
    assert.equal(error.code, "ERR_CONFIG_INVALID");
    assert.deepEqual(error.context, { file: "/p/wrangler.toml", key: "a" });
    assert.equal(error.message, `wrangler.toml: "a" should be a string but got 1\nwrangler.toml: "b" is a required field`);
  }
});
