import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { conditionHolds, parseConditional, parseEtagHeader } from "./conditional.js";

const object = { etag: "abc", uploadedMs: Date.UTC(2026, 0, 1, 12, 0, 0, 500) };

describe("parseEtagHeader", () => {
  it("reads strong, weak and wildcard tags, skipping empty list elements", () => {
    assert.deepEqual(parseEtagHeader('"a", W/"b",, "c,d"'), [
      { type: "strong", value: "a" },
      { type: "weak", value: "b" },
      { type: "strong", value: "c,d" },
    ]);
    assert.deepEqual(parseEtagHeader('"a", *'), [{ type: "wildcard" }]);
    assert.deepEqual(parseEtagHeader(""), []);
  });

  it("refuses malformed lists with workerd's messages", () => {
    assert.throws(() => parseEtagHeader('"a" "b"'), /^Error: Comma was expected to separate etags\. Encountered a double quote character/);
    assert.throws(() => parseEtagHeader('"a'), /Unclosed double quote for Etag/);
    assert.throws(() => parseEtagHeader('W"a"'), /Weak etags must start with W\/ and their value must be quoted/);
  });
});

describe("parseConditional", () => {
  it("takes an R2Conditional and refuses quoted etags", () => {
    assert.deepEqual(parseConditional({ etagMatches: "*", uploadedBefore: new Date(5), secondsGranularity: true }), {
      etagMatches: [{ type: "wildcard" }],
      uploadedBeforeMs: 5,
      secondsGranularity: true,
    });
    assert.throws(() => parseConditional({ etagDoesNotMatch: '"abc"' }), { name: "TypeError", message: 'Conditional ETag should not be wrapped in quotes ("abc").' });
    assert.equal(parseConditional(undefined), undefined);
  });

  it("takes Headers, always at one-second granularity", () => {
    const headers = new Headers({ "if-none-match": '"abc"', "if-unmodified-since": "Thu, 01 Jan 2026 12:00:00 GMT", range: "bytes=0-1" });
    assert.deepEqual(parseConditional(headers), {
      secondsGranularity: true,
      etagDoesNotMatch: [{ type: "strong", value: "abc" }],
      uploadedBeforeMs: Date.UTC(2026, 0, 1, 12),
    });
  });
});

describe("conditionHolds", () => {
  it("matches etags strongly for If-Match and weakly for If-None-Match", () => {
    assert.equal(conditionHolds({ etagMatches: [{ type: "weak", value: "abc" }] }, object), false);
    assert.equal(conditionHolds({ etagDoesNotMatch: [{ type: "weak", value: "abc" }] }, object), false);
    assert.equal(conditionHolds({ etagMatches: [{ type: "strong", value: "abc" }] }, object), true);
  });

  it("compares upload times, at millisecond or second resolution", () => {
    const second = Date.UTC(2026, 0, 1, 12, 0, 0);
    assert.equal(conditionHolds({ uploadedAfterMs: second }, object), true);
    assert.equal(conditionHolds({ uploadedAfterMs: second, secondsGranularity: true }, object), false);
    assert.equal(conditionHolds({ uploadedBeforeMs: second + 1000 }, object), true);
  });

  it("lets If-Match win over If-Unmodified-Since and If-None-Match over If-Modified-Since", () => {
    assert.equal(conditionHolds({ etagMatches: [{ type: "strong", value: "abc" }], uploadedBeforeMs: 0 }, object), true);
    assert.equal(conditionHolds({ etagDoesNotMatch: [{ type: "strong", value: "zzz" }], uploadedAfterMs: Date.UTC(2030, 0) }, object), true);
  });

  it("for a missing object fails only etagMatches and uploadedAfter", () => {
    assert.equal(conditionHolds({ etagDoesNotMatch: [{ type: "wildcard" }], uploadedBeforeMs: 0 }, null), true);
    assert.equal(conditionHolds({ etagMatches: [{ type: "wildcard" }] }, null), false);
    assert.equal(conditionHolds({ uploadedAfterMs: 0 }, null), false);
  });
});
