import assert from "node:assert/strict";
import { test } from "node:test";
import { toWireError } from "./wire-error.js";

test("errors flatten to name, message and a stack without Hearth's own frames", () => {
  const error = new TypeError("bad thing");
  error.stack = [
    "TypeError: bad thing",
    "    at Object.fetch (/project/src/index.ts:3:9)",
    `    at handleFetch (${new URL("./isolate.worker.js", import.meta.url).href}:67:35)`,
    "    at MessagePort.<anonymous> (node:internal/per_context/messageport:23:28)",
  ].join("\n");
  assert.deepEqual(toWireError(error), {
    name: "TypeError",
    message: "bad thing",
    stack: "TypeError: bad thing\n    at Object.fetch (/project/src/index.ts:3:9)",
  });
});

test("thrown non-errors still produce a record", () => {
  assert.deepEqual(toWireError("just a string"), { name: "Error", message: "just a string", stack: "Uncaught just a string" });
});
