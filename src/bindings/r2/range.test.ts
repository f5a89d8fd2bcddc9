import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseRangeOption, resolveRange } from "./range.js";

describe("parseRangeOption", () => {
  it("checks numbers as workerd does", () => {
    assert.deepEqual(parseRangeOption({ offset: 2, length: 3 }), { offset: 2, length: 3 });
    assert.throws(() => parseRangeOption({ offset: 1.5 }), { name: "RangeError", message: "Invalid range. Starting offset (1.5) must be an integer, not floating point." });
    assert.throws(() => parseRangeOption({ length: -2 }), { name: "RangeError", message: "Invalid range. Length (-2) must be greater than or equal to 0." });
    assert.throws(() => parseRangeOption({ suffix: -1 }), { name: "RangeError", message: "Invalid suffix. Suffix (-1) must be greater than or equal to 0." });
    assert.throws(() => parseRangeOption({ suffix: 1, length: 1 }), { name: "TypeError", message: "Suffix is incompatible with length." });
    assert.deepEqual(parseRangeOption(new Headers({ range: "bytes=1-2" })), { header: "bytes=1-2" });
    assert.equal(parseRangeOption(new Headers()), undefined);
  });
});

describe("resolveRange", () => {
  it("normalises every form to {offset, length}", () => {
    assert.deepEqual(resolveRange(undefined, 36), { offset: 0, length: 36 });
    assert.deepEqual(resolveRange({ offset: 30 }, 36), { offset: 30, length: 6 });
    assert.deepEqual(resolveRange({ length: 4 }, 36), { offset: 0, length: 4 });
    assert.deepEqual(resolveRange({ suffix: 100 }, 36), { offset: 0, length: 36 });
    assert.deepEqual(resolveRange({ offset: 30, length: 100 }, 36), { offset: 30, length: 6 });
  });

  it("reports a range that selects nothing", () => {
    assert.equal(resolveRange({ offset: 100, length: 2 }, 36), "unsatisfiable");
    assert.equal(resolveRange({ offset: 0, length: 0 }, 36), "unsatisfiable");
    assert.equal(resolveRange({ suffix: 0 }, 36), "unsatisfiable");
  });

  it("reads one Range header range, else the whole object", () => {
    assert.deepEqual(resolveRange({ header: "bytes=5-5" }, 36), { offset: 5, length: 1 });
    assert.deepEqual(resolveRange({ header: "Bytes = 34-100" }, 36), { offset: 34, length: 2 });
    assert.deepEqual(resolveRange({ header: "bytes=-2" }, 36), { offset: 34, length: 2 });
    for (const header of ["bytes=40-", "bytes=0-1,3-4", "items=0-1", "bytes=5-2", "bytes=-"]) {
      assert.deepEqual(resolveRange({ header }, 36), { offset: 0, length: 36 }, header);
    }
  });
});
