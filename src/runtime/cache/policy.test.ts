import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { storeDecision } from "./policy.js";

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const decide = (headers: Record<string, string>, status = 200, request: Record<string, string> = {}) =>
  storeDecision(status, new Headers(headers), new Headers(request), NOW);
const ttlSeconds = (headers: Record<string, string>, status = 200) => {
  const d = decide(headers, status);
  return d === undefined ? undefined : (d.expiresAtMs - NOW) / 1000;
};

describe("storeDecision", () => {
  it("stores for max-age seconds, and s-maxage wins over max-age (a shared cache)", () => {
    assert.equal(ttlSeconds({ "cache-control": "max-age=600" }), 600);
    assert.equal(ttlSeconds({ "cache-control": "public, max-age=600, s-maxage=2" }), 2);
    assert.equal(ttlSeconds({ "cache-control": 'MAX-AGE="30"' }), 30);
  });

  it("does not store no-store, private, no-cache or proxy-revalidate responses", () => {
    assert.equal(decide({ "cache-control": "no-store, max-age=600" }), undefined);
    assert.equal(decide({ "cache-control": "private, max-age=600" }), undefined);
    assert.equal(decide({ "cache-control": "no-cache" }), undefined);
    assert.equal(decide({ "cache-control": "no-cache, max-age=600" }), undefined);
    assert.equal(decide({ "cache-control": "proxy-revalidate, max-age=600" }), undefined);
  });

  it("uses Expires against Date (or now): future stores, past or invalid does not", () => {
    assert.equal(ttlSeconds({ expires: new Date(NOW + 90_000).toUTCString() }), 90);
    assert.equal(ttlSeconds({ expires: "Thu, 01 Jan 1970 00:00:00 GMT" }), undefined);
    assert.equal(ttlSeconds({ expires: "0" }), undefined);
    assert.equal(
      ttlSeconds({ expires: new Date(NOW + 90_000).toUTCString(), date: new Date(NOW + 30_000).toUTCString() }),
      60,
    );
    assert.equal(ttlSeconds({ "cache-control": "max-age=5", expires: new Date(NOW + 90_000).toUTCString() }), 5);
  });

  it("does not store a response without freshness information, except by the Last-Modified heuristic", () => {
    assert.equal(decide({}), undefined);
    assert.equal(decide({ "content-type": "text/plain" }), undefined);
    assert.equal(ttlSeconds({ "last-modified": new Date(NOW - 1000_000).toUTCString() }), 100);
  });

  it("subtracts the response's Age", () => {
    assert.equal(ttlSeconds({ "cache-control": "max-age=600", age: "100" }), 500);
    assert.equal(decide({ "cache-control": "max-age=600", age: "600" }), undefined);
  });

  it("never stores Set-Cookie, unless private=Set-Cookie names it (then the header is dropped)", () => {
    assert.equal(decide({ "cache-control": "max-age=600", "set-cookie": "a=b" }), undefined);
    assert.equal(decide({ "cache-control": "public, max-age=600", "set-cookie": "a=b" }), undefined);
    const d = decide({ "cache-control": "max-age=600, private=Set-Cookie", "set-cookie": "a=b", "x-kept": "1" });
    assert.ok(d);
    assert.deepEqual(
      d.headers.map(([name]) => name),
      ["cache-control", "x-kept"],
    );
    const quoted = decide({ "cache-control": 'private="set-cookie, x-secret", max-age=60', "set-cookie": "a=b", "x-secret": "s" });
    assert.deepEqual(quoted?.headers.map(([name]) => name), ["cache-control"]);
  });

  it("does not store a response to a request with Authorization unless public, s-maxage or must-revalidate allow it", () => {
    assert.equal(decide({ "cache-control": "max-age=60" }, 200, { authorization: "Bearer x" }), undefined);
    assert.ok(decide({ "cache-control": "public, max-age=60" }, 200, { authorization: "Bearer x" }));
    assert.ok(decide({ "cache-control": "s-maxage=60" }, 200, { authorization: "Bearer x" }));
  });

  it("stores only statuses a cache understands; others need explicit freshness", () => {
    assert.equal(decide({ "cache-control": "max-age=60" }, 500), undefined);
    assert.equal(decide({ "cache-control": "max-age=60" }, 201), undefined);
    assert.ok(decide({ "cache-control": "max-age=60" }, 404));
    assert.ok(decide({ "cache-control": "max-age=60" }, 302));
    assert.equal(decide({ "last-modified": new Date(NOW - 1000_000).toUTCString() }, 302), undefined);
  });
});
