import assert from "node:assert/strict";
import { test } from "node:test";
import { concatBytes, prefixUpperBound, isArrayBuffer, utf8Length } from "./bytes.js";

test("concatBytes joins chunks in order", () => {
  assert.deepEqual(concatBytes([new Uint8Array([1, 2]), new Uint8Array([]), new Uint8Array([3])], 3), new Uint8Array([1, 2, 3]));
  assert.deepEqual(concatBytes([], 0), new Uint8Array([]));
  const one = new Uint8Array([9]);
  assert.equal(concatBytes([one], 1), one);
});

test("prefixUpperBound ends the range of keys starting with a prefix", () => {
  assert.deepEqual(prefixUpperBound(new Uint8Array([1, 2])), new Uint8Array([1, 3]));
  assert.deepEqual(prefixUpperBound(new Uint8Array([1, 0xff, 0xff])), new Uint8Array([2]), "trailing 0xff bytes carry");
  assert.equal(prefixUpperBound(new Uint8Array([0xff, 0xff])), null);
  assert.equal(prefixUpperBound(new Uint8Array([])), null);
});

test("prefixUpperBound returns a fresh Buffer for a Buffer and leaves the prefix alone", () => {
  const prefix = Buffer.from("ab\xff", "latin1");
  const upper = prefixUpperBound(prefix)!;
  assert.ok(Buffer.isBuffer(upper));
  assert.equal(upper.toString("latin1"), "ac");
  assert.equal(prefix.toString("latin1"), "ab\xff");
  assert.ok(Buffer.compare(upper, Buffer.from("abzzz")) > 0 && Buffer.compare(upper, prefix) > 0);
});

test("utf8Length counts UTF-8 bytes without encoding", () => {
  for (const s of ["", "abc", "é", "日本", "😀", "a😀b", "\ud800", "x\udc00y"]) {
    assert.equal(utf8Length(s), new TextEncoder().encode(s).byteLength, JSON.stringify(s));
  }
});

test("isArrayBuffer recognises ArrayBuffers only", () => {
  assert.equal(isArrayBuffer(new ArrayBuffer(2)), true);
  assert.equal(isArrayBuffer(new Uint8Array(2)), false);
  assert.equal(isArrayBuffer(new SharedArrayBuffer(2)), false);
  assert.equal(isArrayBuffer("x"), false);
});
