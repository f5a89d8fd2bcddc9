import assert from "node:assert/strict";
import { test } from "node:test";
import { keyValuePairs, portValue } from "./flag-values.js";

test("--var splits at the first colon", () => {
  assert.deepEqual(keyValuePairs(["A:B:C", "URL:http://x"], ":", "--var"), { A: "B:C", URL: "http://x" });
});

test("a value without a separator is an error naming the flag", () => {
  assert.throws(() => keyValuePairs(["NOPE"], ":", "--var"), /--var expects KEY:VALUE, but got "NOPE"/);
  assert.throws(() => keyValuePairs([":x"], "=", "--binding"), /--binding expects KEY=VALUE/);
});

test("ports are checked", () => {
  assert.equal(portValue("8787", "--port"), 8787);
  assert.equal(portValue(undefined, "--port"), undefined);
  assert.throws(() => portValue("http", "--port"), /--port expects a port number/);
  assert.throws(() => portValue(70000, "--port"), /--port/);
});
