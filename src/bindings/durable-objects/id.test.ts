import assert from "node:assert/strict";
import crypto from "node:crypto";
import { test } from "node:test";
import { IdFactory, type Hmac } from "./id.js";

const hmac: Hmac = (key, data) => new Uint8Array(crypto.createHmac("sha256", key).update(data).digest());
const counters = new IdFactory("worker-Counter", hmac);
const others = new IdFactory("worker-Other", hmac);

test("idFromName is deterministic per namespace and carries the name", () => {
  const a = counters.fromName("alpha");
  assert.match(a.toString(), /^[0-9a-f]{64}$/);
  assert.equal(a.toString(), counters.fromName("alpha").toString());
  assert.ok(a.equals(counters.fromName("alpha")));
  assert.notEqual(a.toString(), counters.fromName("beta").toString());
  assert.notEqual(a.toString(), others.fromName("alpha").toString());
  assert.equal(a.name, "alpha");
});

test("unique ids differ and have no name", () => {
  const u = counters.unique();
  assert.notEqual(u.toString(), counters.unique().toString());
  assert.equal(u.name, undefined);
});

test("idFromString round-trips, accepts upper case, and rejects malformed or foreign ids", () => {
  const named = counters.fromName("x");
  assert.equal(counters.fromString(named.toString()).toString(), named.toString());
  assert.equal(counters.fromString(named.toString().toUpperCase()).toString(), named.toString());
  assert.throws(() => counters.fromString("not-an-id"), { name: "TypeError", message: "Invalid Durable Object ID: must be 64 hex digits" });
  assert.throws(() => counters.fromString("abcdef"), { name: "TypeError", message: "Invalid Durable Object ID: must be 64 hex digits" });
  assert.throws(() => counters.fromString(others.fromName("x").toString()), {
    name: "TypeError",
    message: "Durable Object ID is not valid for this namespace.",
  });
});
