import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { compileMatcher } from "./route-matcher.js";

describe("route matching", () => {
  test("[param] matches one segment, left percent-encoded; a trailing slash is tolerated", () => {
    const m = compileMatcher("/users/:id", { end: true });
    assert.deepEqual(m("/users/42"), { path: "/users/42", params: { id: "42" } });
    assert.deepEqual(m("/users/42/"), { path: "/users/42/", params: { id: "42" } });
    assert.deepEqual(m("/users/caf%C3%A9"), { path: "/users/caf%C3%A9", params: { id: "caf%C3%A9" } });
    assert.equal(m("/users/42/x"), false);
    assert.equal(m("/users"), false);
  });

  test("[[catchall]] matches zero or more segments as an array; absent when zero", () => {
    const m = compileMatcher("/files/:path*", { end: true });
    assert.deepEqual(m("/files"), { path: "/files", params: {} });
    assert.deepEqual(m("/files/a/b%2Fc/d.txt"), { path: "/files/a/b%2Fc/d.txt", params: { path: ["a", "b%2Fc", "d.txt"] } });
  });

  test("matching is case-insensitive; regex specials in file names are literal", () => {
    assert.ok(compileMatcher("/API/Item", { end: true })("/api/item"));
    const dotted = compileMatcher("/robots.txt", { end: true });
    assert.ok(dotted("/robots.txt"));
    assert.equal(dotted("/robotsxtxt"), false);
  });

  test("a mount (end: false) matches a prefix at a segment boundary", () => {
    const admin = compileMatcher("/admin", { end: false });
    assert.deepEqual(admin("/admin/reports/q3"), { path: "/admin", params: {} });
    assert.ok(admin("/admin"));
    assert.equal(admin("/administrator"), false);
    assert.deepEqual(compileMatcher("/", { end: false })("/anything/at/all"), { path: "/", params: {} });
    assert.deepEqual(compileMatcher("/users/:id", { end: false })("/users/7/posts"), { path: "/users/7", params: { id: "7" } });
  });
});
