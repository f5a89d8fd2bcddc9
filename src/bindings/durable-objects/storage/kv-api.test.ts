import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { failure, openTestStorage } from "./test-helpers.js";

const kvClass = () => openTestStorage({ sqlite: false }).storage.api;
const sqliteClass = () => openTestStorage({ sqlite: true }).storage.api;

describe("async KV API: get / put / delete", () => {
  it("returns undefined for a missing key, true/false from delete", async () => {
    const s = kvClass();
    assert.equal(await s.get("greeting"), undefined);
    await s.put("greeting", "hello");
    assert.equal(await s.get("greeting"), "hello");
    await s.put("greeting", "hello again");
    assert.equal(await s.get("greeting"), "hello again");
    assert.equal(await s.delete("greeting"), true);
    assert.equal(await s.delete("greeting"), false);
    assert.equal(await s.get("greeting"), undefined);
  });

  it("round-trips structured-clone values (Map, Set, Date, RegExp, typed arrays, ArrayBuffer, BigInt, cycles, null)", async () => {
    const s = kvClass();
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    const values: Record<string, unknown> = {
      num: 42,
      obj: { a: [1, 2, { b: true }], s: "x" },
      date: new Date("2020-02-02T02:02:02.000Z"),
      map: new Map([["k", "v"]]),
      set: new Set([1, 2]),
      regexp: /a+b/gi,
      bytes: new Uint8Array([9, 8, 7]),
      floats: new Float64Array([1.5, -2]),
      buffer: new Uint8Array([1, 2]).buffer,
      big: 12345678901234567890n,
      nullv: null,
      undef: undefined,
    };
    await s.put(Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)));
    await s.put("cyclic", cyclic);
    const got = await s.get<Map<string, unknown>>(Object.keys(values));
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) assert.equal(got.has(key), false);
      else assert.deepEqual(got.get(key), value, key);
    }
    assert.equal(Object.getPrototypeOf(got.get("bytes")), Uint8Array.prototype);
    const loop = (await s.get("cyclic")) as Record<string, unknown>;
    assert.equal(loop.self, loop);
  });

  it("refuses functions with a DataCloneError DOMException, as structuredClone does", async () => {
    const s = kvClass();
    const error = await s.put("f", () => 1).then(
      () => assert.fail("put resolved"),
      (e: unknown) => e as DOMException,
    );
    assert.ok(error instanceof DOMException);
    assert.equal(error.name, "DataCloneError");
    assert.equal(error.message, "() => 1 could not be cloned.");
    assert.equal(await failure(() => s.put({ ok: 1, bad: Symbol("s") })), "DataCloneError: Symbol(s) could not be cloned.");
    assert.equal(await s.get("ok"), undefined); // nothing of a failed batch is written
  });

  it("get/delete with arrays return a Map of existing keys in key order, and a count", async () => {
    const s = kvClass();
    await s.put({ "m:3": "three", "m:1": "one", "m:2": "two", skipped: undefined });
    assert.deepEqual([...(await s.get(["m:3", "m:1", "m:missing", "m:1"]))], [["m:1", "one"], ["m:3", "three"]]);
    assert.equal(await s.get("skipped"), undefined);
    assert.equal(await s.delete(["m:1", "m:2", "m:nope", "m:1"]), 2);
    assert.deepEqual([...(await s.get(["m:1", "m:2", "m:3"]))], [["m:3", "three"]]);
    assert.deepEqual([...(await s.get([]))], []);
  });

  it("reports argument errors with Cloudflare's types and messages", async () => {
    const s = kvClass();
    assert.equal(await failure(() => s.put("k", undefined)), "TypeError: put() called with undefined value.");
    assert.equal(
      await failure(() => (s.put as (e: object, o: unknown) => Promise<void>)({ a: 1 }, "nope")),
      "TypeError: put() may only be called with a single key-value pair and optional options as put(key, value, options) " +
        "or with multiple key-value pairs and optional options as put(entries, options)",
    );
    await s.put({ a: 1 }, { allowUnconfirmed: true, noCache: true });
    assert.equal(await s.get("a", { allowConcurrency: true }), 1);
  });

  it("coerces non-string keys to strings", async () => {
    const s = kvClass();
    await (s.put as (k: unknown, v: unknown) => Promise<void>)(12, "twelve");
    assert.equal(await s.get("12"), "twelve");
  });
});

describe("async KV API: limits", () => {
  const keys = (n: number) => Array.from({ length: n }, (_, i) => `k${i}`);

  it("allows 128 keys per batch and refuses 129 with a RangeError", async () => {
    const s = sqliteClass();
    await s.put(Object.fromEntries(keys(128).map((k) => [k, 1])));
    assert.equal((await s.get(keys(128))).size, 128);
    const tooMany = "RangeError: Maximum number of keys is 128.";
    assert.equal(await failure(() => s.get(keys(129))), tooMany);
    assert.equal(await failure(() => s.delete(keys(129))), tooMany);
    assert.equal(await failure(() => s.put(Object.fromEntries(keys(129).map((k) => [k, 1])))), tooMany);
  });

  it("KV-backed classes: keys up to 2048 bytes, values up to 131072 serialised bytes", async () => {
    const s = kvClass();
    const longKey = "é".repeat(1025); // 2050 bytes
    await s.put("x".repeat(2048), 1);
    assert.equal(await failure(() => s.put(longKey, 1)), "RangeError: Keys cannot be larger than 2048 bytes.");
    assert.equal(await failure(() => s.get(longKey)), "RangeError: Keys cannot be larger than 2048 bytes.");
    assert.equal(
      await failure(() => s.get([longKey])),
      `RangeError: Key "${longKey}" is larger than the limit of 2048 bytes.`,
    );
    await s.put("big", new Uint8Array(131_000));
    assert.equal(
      await failure(() => s.put("big", new Uint8Array(131_072))),
      "RangeError: Values cannot be larger than 131072 bytes.",
    );
    assert.equal(
      await failure(() => s.put({ huge: new Uint8Array(131_072) })),
      'RangeError: Value for key "huge" is above the limit of 131072 bytes.',
    );
  });

  it("SQLite-backed classes: key + value up to 2 MB, no separate key limit", async () => {
    const s = sqliteClass();
    await s.put("k".repeat(4000), new Uint8Array(500_000));
    assert.equal(
      await failure(() => s.put("big", new Uint8Array(2_000_000))),
      "Error: string or blob too big: SQLITE_TOOBIG",
    );
  });
});

describe("async KV API: list", () => {
  const listed = async (s: ReturnType<typeof kvClass>, options?: object) => [...(await s.list(options)).keys()];

  it("lists in key order with prefix, start/end, startAfter, reverse and limit", async () => {
    const s = kvClass();
    await s.put({ a: 1, b: 2, c: 3, "user:1": "u1", "user:2": "u2", "user:10": "u10", "video:1": "v1", z: 26 });
    assert.deepEqual(await listed(s), ["a", "b", "c", "user:1", "user:10", "user:2", "video:1", "z"]);
    assert.deepEqual([...(await s.list({ prefix: "user:" }))], [["user:1", "u1"], ["user:10", "u10"], ["user:2", "u2"]]);
    assert.deepEqual(await listed(s, { start: "b", end: "user:2" }), ["b", "c", "user:1", "user:10"]);
    assert.deepEqual(await listed(s, { startAfter: "user:2" }), ["video:1", "z"]);
    assert.deepEqual(await listed(s, { reverse: true, limit: 3 }), ["z", "video:1", "user:2"]);
    assert.deepEqual(await listed(s, { limit: 2 }), ["a", "b"]);
    assert.deepEqual(await listed(s, { prefix: "user:", reverse: true }), ["user:2", "user:10", "user:1"]);
    assert.deepEqual(await listed(s, { prefix: "user:", limit: 1 }), ["user:1"]);
    assert.deepEqual(await listed(s, { prefix: "nothing" }), []);
    assert.deepEqual(await listed(s, { start: "c", end: "user:10", reverse: true }), ["user:1", "c"]);
  });

  it("clamps start and end to the prefix and detects empty ranges", async () => {
    const s = kvClass();
    await s.put({ a: 1, "p:1": 1, "p:2": 2, "p:3": 3, q: 1 });
    assert.deepEqual(await listed(s, { prefix: "p:", start: "a" }), ["p:1", "p:2", "p:3"]);
    assert.deepEqual(await listed(s, { prefix: "p:", start: "p:2" }), ["p:2", "p:3"]);
    assert.deepEqual(await listed(s, { prefix: "p:", end: "p:3" }), ["p:1", "p:2"]);
    assert.deepEqual(await listed(s, { prefix: "p:", end: "z" }), ["p:1", "p:2", "p:3"]);
    assert.deepEqual(await listed(s, { prefix: "p:", start: "q" }), []);
    assert.deepEqual(await listed(s, { prefix: "p:", end: "a" }), []);
    assert.deepEqual(await listed(s, { start: "q", end: "a" }), []);
    assert.deepEqual(await listed(s, { startAfter: "p:3", end: "q" }), []);
  });

  it("orders keys by UTF-8 bytes, not UTF-16 code units", async () => {
    const s = kvClass();
    await s.put({ "😀": 1, "！": 2, a: 3 });
    assert.deepEqual(await listed(s), ["a", "！", "😀"]);
  });

  it("rejects start with startAfter, and a limit that is not positive", async () => {
    const s = kvClass();
    assert.equal(
      await failure(() => s.list({ start: "a", startAfter: "b" })),
      "TypeError: list() cannot be called with both start and startAfter values.",
    );
    assert.equal(await failure(() => s.list({ limit: 0 })), "TypeError: List limit must be positive.");
    assert.equal(await failure(() => s.list({ limit: -3 })), "TypeError: List limit must be positive.");
    assert.equal(await failure(() => s.list({ limit: 0.5 })), "TypeError: List limit must be positive.");
    await s.put({ a: 1, b: 2 });
    assert.deepEqual([...(await s.list({ limit: Infinity })).keys()], ["a", "b"]);
    assert.deepEqual([...(await s.list({ limit: 1.9 })).keys()], ["a"]);
  });
});

describe("async KV API: deleteAll, sync and point-in-time recovery", () => {
  it("deleteAll removes every key and resolves to undefined", async () => {
    const s = kvClass();
    await s.put({ x: 1, y: 2 });
    assert.equal(await s.deleteAll(), undefined);
    assert.equal((await s.list()).size, 0);
  });

  it("sync resolves once the pending writes are committed", async () => {
    const { storage } = openTestStorage({ sqlite: false });
    void storage.api.put("k", 1);
    await storage.api.sync();
    assert.equal(await storage.api.get("k"), 1);
  });

  it("the bookmark methods reject with an explanation", async () => {
    const s = sqliteClass();
    for (const call of [() => s.getCurrentBookmark(), () => s.getBookmarkForTime(Date.now()), () => s.onNextSessionRestoreBookmark("b")]) {
      assert.match(await failure(call), /^Error: \w+\(\) is not supported: Hearth does not keep the history point-in-time recovery needs/);
    }
  });
});
