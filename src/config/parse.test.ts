import assert from "node:assert/strict";
import { test } from "node:test";
import { isHearthError } from "../shared/errors.js";
import { parseConfigText } from "./parse.js";

const TOML = `
name = "worker"
compatibility_flags = ["nodejs_compat"]

[vars]
GREETING = "hi"
COUNT = 3
NESTED = { a = [1, 2] }

[[kv_namespaces]]
binding = "KV"
id = "kv-id"

[durable_objects]
bindings = [{ name = "DO", class_name = "Counter" }]
`;

const JSONC = `{
  "$schema": "node_modules/wrangler/config-schema.json",
  // a comment
  "name": "worker",
  "compatibility_flags": ["nodejs_compat",],
  /* block comment */
  "vars": { "GREETING": "hi", "COUNT": 3, "NESTED": { "a": [1, 2] } },
  "kv_namespaces": [{ "binding": "KV", "id": "kv-id" }],
  "durable_objects": { "bindings": [{ "name": "DO", "class_name": "Counter" }] },
}`;

test("TOML, JSON and JSONC files with the same content parse to the same object", () => {
  const fromToml = parseConfigText(TOML, "/p/wrangler.toml");
  const fromJson = parseConfigText(JSONC, "/p/wrangler.json");
  const fromJsonc = parseConfigText(JSONC, "/p/wrangler.jsonc");
  const { $schema, ...jsonWithoutSchema } = fromJson;
  assert.equal($schema, "node_modules/wrangler/config-schema.json");
  assert.deepEqual(fromToml, jsonWithoutSchema);
  assert.deepEqual(fromJson, fromJsonc);
  // TOML tables come back as ordinary objects (deepEqual above is strict about prototypes).
  assert.equal(Object.getPrototypeOf(fromToml["vars"]), Object.prototype);
});

test("TOML inline tables and arrays of tables give the same shape", () => {
  const a = parseConfigText(`kv_namespaces = [{ binding = "A", id = "1" }, { binding = "B" }]`, "x.toml");
  const b = parseConfigText(`[[kv_namespaces]]\nbinding = "A"\nid = "1"\n\n[[kv_namespaces]]\nbinding = "B"\n`, "x.toml");
  assert.deepEqual(a, b);
  assert.deepEqual(a, { kv_namespaces: [{ binding: "A", id: "1" }, { binding: "B" }] });
});

test("TOML dates and times become ISO strings so values stay JSON-clonable", () => {
  const parsed = parseConfigText(
    `compatibility_date = 2024-09-23\n[vars]\nAT = 1979-05-27T07:32:00Z\nLOCAL = 1979-05-27T07:32:00\nTIME = 07:32:00\n`,
    "wrangler.toml",
  );
  assert.equal(parsed["compatibility_date"], "2024-09-23");
  assert.deepEqual(parsed["vars"], { AT: "1979-05-27T07:32:00.000Z", LOCAL: "1979-05-27T07:32:00.000", TIME: "07:32:00.000" });
  assert.deepEqual(structuredClone(parsed), parsed);
});

test("a byte-order mark is ignored", () => {
  assert.deepEqual(parseConfigText(`\ufeff{"name": "x"}`, "wrangler.json"), { name: "x" });
  assert.deepEqual(parseConfigText(`\ufeffname = "x"`, "wrangler.toml"), { name: "x" });
});

function parseError(text: string, file: string): { message: string; code: string; file?: string } {
  try {
    parseConfigText(text, file, "wrangler" + file.slice(file.lastIndexOf(".")));
  } catch (error) {
    assert.ok(isHearthError(error));
    return { message: error.message, code: error.code, file: error.context.file };
  }
  assert.fail("expected a parse error");
}

test("malformed TOML names the file, line and column", () => {
  const error = parseError(`name = "x"\ncompatibility_flags = [\n  "a",\n  b\n]\n`, "/proj/wrangler.toml");
  assert.equal(error.code, "ERR_CONFIG_PARSE");
  assert.equal(error.file, "/proj/wrangler.toml");
  assert.match(error.message, /^wrangler\.toml:4:3: invalid TOML: /);
});

test("malformed JSON names the file, line and column", () => {
  const error = parseError(`{\n  "name": "x"\n  "main": "y"\n}`, "/proj/wrangler.json");
  assert.equal(error.code, "ERR_CONFIG_PARSE");
  assert.equal(error.file, "/proj/wrangler.json");
  assert.equal(error.message, "wrangler.json:3:3: invalid JSON: comma expected");
});

test("an empty JSON file is a parse error, an empty TOML file is an empty config", () => {
  assert.equal(parseError("", "/p/wrangler.jsonc").code, "ERR_CONFIG_PARSE");
  assert.deepEqual(parseConfigText("", "/p/wrangler.toml"), {});
});

test("the root must be an object, and the extension must be known", () => {
  const notObject = parseError("[1, 2]", "/p/wrangler.json");
  assert.equal(notObject.code, "ERR_CONFIG_INVALID");
  assert.match(notObject.message, /should be an object but got an array/);
  const badExt = parseError("name: x", "/p/wrangler.yaml");
  assert.equal(badExt.code, "ERR_CONFIG_PARSE");
  assert.match(badExt.message, /expected \.toml, \.json or \.jsonc/);
});
