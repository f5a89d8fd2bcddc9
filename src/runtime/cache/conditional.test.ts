import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { matchAnswer } from "./conditional.js";

const stored = new Headers({ etag: '"v1"', "last-modified": "Wed, 01 Jan 2020 00:00:00 GMT" });
const answer = (request: Record<string, string>, size = 13) => matchAnswer(new Headers(request), stored, size);

describe("matchAnswer", () => {
  it("answers If-None-Match with 304 on a (weakly) matching ETag or *", () => {
    assert.deepEqual(answer({ "if-none-match": '"v1"' }), { kind: "not-modified" });
    assert.deepEqual(answer({ "if-none-match": '"v0", W/"v1"' }), { kind: "not-modified" });
    assert.deepEqual(answer({ "if-none-match": "*" }), { kind: "not-modified" });
    assert.deepEqual(answer({ "if-none-match": '"v0"' }), { kind: "full" });
    assert.deepEqual(matchAnswer(new Headers({ "if-none-match": "*" }), new Headers(), 1), { kind: "full" });
  });

  it("answers If-Modified-Since with 304 unless Last-Modified is later; If-None-Match wins", () => {
    assert.deepEqual(answer({ "if-modified-since": "Wed, 01 Jan 2020 00:00:00 GMT" }), { kind: "not-modified" });
    assert.deepEqual(answer({ "if-modified-since": "Tue, 31 Dec 2019 00:00:00 GMT" }), { kind: "full" });
    assert.deepEqual(answer({ "if-modified-since": "Thu, 02 Jan 2020 00:00:00 GMT", "if-none-match": '"v0"' }), { kind: "full" });
  });

  it("answers one byte range with 206, an unsatisfiable one with 416, anything else with the whole body", () => {
    assert.deepEqual(answer({ range: "bytes=0-3" }), { kind: "partial", offset: 0, length: 4 });
    assert.deepEqual(answer({ range: "bytes=10-" }), { kind: "partial", offset: 10, length: 3 });
    assert.deepEqual(answer({ range: "bytes=-5" }), { kind: "partial", offset: 8, length: 5 });
    assert.deepEqual(answer({ range: "bytes=5-100" }), { kind: "partial", offset: 5, length: 8 });
    assert.deepEqual(answer({ range: "bytes=13-" }), { kind: "unsatisfiable" });
    assert.deepEqual(answer({ range: "bytes=-0" }), { kind: "unsatisfiable" });
    assert.deepEqual(answer({ range: "bytes=0-1,3-4" }), { kind: "full" });
    assert.deepEqual(answer({ range: "items=0-1" }), { kind: "full" });
    assert.deepEqual(answer({ range: "bytes=5-2" }), { kind: "full" });
  });
});
