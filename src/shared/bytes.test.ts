import assert from "node:assert/strict";
import { test } from "node:test";
import { concatBytes } from "./bytes.js";

test("concatBytes joins chunks in order", () => {
  assert.deepEqual(concatBytes([new Uint8Array([1, 2]), new Uint8Array([]), new Uint8Array([3])], 3), new Uint8Array([1, 2, 3]));
  assert.deepEqual(concatBytes([], 0), new Uint8Array([]));
  const one = new Uint8Array([9]);
  assert.equal(concatBytes([one], 1), one);
});
