import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, afterEach, beforeEach, describe, it } from "node:test";
import { fixedClock } from "../../shared/clock.js";
import type { KvBinding } from "../descriptor.js";
import { createKvApi, type KVNamespace } from "./api.worker.js";
import { closeKvNamespaces, createKvNamespace } from "./binding.js";
import type { KvStore } from "./store.js";

const START_MS = 1_700_000_000_000;
const NOW_S = START_MS / 1000;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-kv-api-"));
after(() => fs.rmSync(root, { recursive: true, force: true }));

let clock: ReturnType<typeof fixedClock>;
let descriptor: KvBinding;
let kv: KVNamespace;
let n = 0;

beforeEach(() => {
  clock = fixedClock(START_MS);
  const namespaceId = `ns${++n}`;
  descriptor = { kind: "kv", name: "KV", namespaceId, dir: path.join(root, "kv", namespaceId) };
  kv = createKvNamespace(descriptor, { clock });
});
afterEach(() => closeKvNamespaces());

/** Asserts that `promise` rejects with exactly this error type and message. */
async function rejectsWith(promise: Promise<unknown>, type: ErrorConstructor | TypeErrorConstructor, message: string) {
  assert.ok(promise instanceof Promise, "errors are rejections, never synchronous throws");
  await assert.rejects(promise, (e: unknown) => {
    assert.equal((e as Error).constructor, type, `expected ${type.name}, got ${(e as Error).constructor.name}: ${(e as Error).message}`);
    assert.equal((e as Error).message, message);
    return true;
  });
}

const streamOf = (...chunks: string[]) => {
  const enc = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    pull(c) {
      const next = chunks.shift();
      if (next === undefined) c.close();
      else c.enqueue(enc.encode(next));
    },
  });
};

describe("KVNamespace: keys", () => {
  for (const [label, call] of [
    ["get", (k: string) => kv.get(k)],
    ["getWithMetadata", (k: string) => kv.getWithMetadata(k)],
    ["put", (k: string) => kv.put(k, "x")],
    ["delete", (k: string) => kv.delete(k)],
  ] as const) {
    it(`${label} rejects empty, "." and ".." keys with TypeErrors`, async () => {
      await rejectsWith(call(""), TypeError, "Key name cannot be empty.");
      await rejectsWith(call("."), TypeError, '"." is not allowed as a key name.');
      await rejectsWith(call(".."), TypeError, '".." is not allowed as a key name.');
    });
  }

  it("rejects keys over 512 UTF-8 bytes, naming the method", async () => {
    const long = "k".repeat(600);
    await rejectsWith(kv.get(long), Error, "KV GET failed: 414 UTF-8 encoded length of 600 exceeds key length limit of 512.");
    await rejectsWith(kv.getWithMetadata(long), Error, "KV GET failed: 414 UTF-8 encoded length of 600 exceeds key length limit of 512.");
    await rejectsWith(kv.put(long, "x"), Error, "KV PUT failed: 414 UTF-8 encoded length of 600 exceeds key length limit of 512.");
    await rejectsWith(kv.delete(long), Error, "KV DELETE failed: 414 UTF-8 encoded length of 600 exceeds key length limit of 512.");
    // 171 three-byte characters = 513 bytes, although only 171 UTF-16 units.
    await rejectsWith(kv.put("€".repeat(171), "x"), Error, "KV PUT failed: 414 UTF-8 encoded length of 513 exceeds key length limit of 512.");
    await rejectsWith(kv.put("😀".repeat(129), "x"), Error, "KV PUT failed: 414 UTF-8 encoded length of 516 exceeds key length limit of 512.");
  });

  it("accepts keys of exactly 512 bytes, and dots and slashes inside keys", async () => {
    for (const key of ["k".repeat(512), "€".repeat(170) + "kk", "...", "a/./b/../c", "/leading", "with space and ?#&"]) {
      await kv.put(key, "v:" + key.length);
      assert.equal(await kv.get(key), "v:" + key.length);
    }
  });

  it("converts non-string keys to strings, as workerd does", async () => {
    await kv.put(42 as unknown as string, "num");
    assert.equal(await kv.get("42"), "num");
  });
});

describe("KVNamespace: get", () => {
  it("returns every value type, and null for a missing key whatever the type", async () => {
    await kv.put("doc", '{"x":[1,2],"s":"é"}');
    assert.equal(await kv.get("doc"), '{"x":[1,2],"s":"é"}');
    assert.equal(await kv.get("doc", "text"), '{"x":[1,2],"s":"é"}');
    assert.equal(await kv.get("doc", { type: "text" }), '{"x":[1,2],"s":"é"}');
    assert.deepEqual(await kv.get("doc", "json"), { x: [1, 2], s: "é" });
    assert.deepEqual(await kv.get("doc", { type: "json", cacheTtl: 60 }), { x: [1, 2], s: "é" });
    const buffer = await kv.get("doc", "arrayBuffer");
    assert.ok(buffer instanceof ArrayBuffer);
    assert.equal(new TextDecoder().decode(buffer), '{"x":[1,2],"s":"é"}');
    const stream = await kv.get("doc", { type: "stream" });
    assert.ok(stream instanceof ReadableStream);
    assert.equal(await new Response(stream).text(), '{"x":[1,2],"s":"é"}');
    for (const type of ["text", "json", "arrayBuffer", "stream", "bogus"] as const) {
      assert.equal(await kv.get("missing", type as "text"), null);
    }
  });

  it("throws SyntaxError for invalid JSON and TypeError for an unknown type", async () => {
    await kv.put("notjson", "abc");
    await assert.rejects(kv.get("notjson", "json"), SyntaxError);
    await rejectsWith(
      kv.get("notjson", "bogus" as "text"),
      TypeError,
      'Unknown response type. Possible types are "text", "arrayBuffer", "json", and "stream".',
    );
    await rejectsWith(
      kv.get("notjson", { type: "blob" } as unknown as { type: "text" }),
      TypeError,
      'Unknown response type. Possible types are "text", "arrayBuffer", "json", and "stream".',
    );
  });

  it("validates cacheTtl and otherwise ignores it", async () => {
    await kv.put("k", "v");
    await rejectsWith(kv.get("k", { type: "text", cacheTtl: 29 }), Error, "KV GET failed: 400 Invalid cache_ttl of 29. Cache TTL must be at least 30.");
    await rejectsWith(kv.get("k", { type: "text", cacheTtl: NaN }), Error, "KV GET failed: 400 Invalid cache_ttl of NaN. Cache TTL must be at least 30.");
    await rejectsWith(kv.getWithMetadata("k", { type: "text", cacheTtl: 0 }), Error, "KV GET failed: 400 Invalid cache_ttl of 0. Cache TTL must be at least 30.");
    assert.equal(await kv.get("k", { type: "text", cacheTtl: 30 }), "v");
  });

  it("reads bytes back exactly, including invalid UTF-8 and a BOM", async () => {
    await kv.put("bin", new Uint8Array([0, 1, 127, 128, 255]));
    assert.deepEqual([...new Uint8Array((await kv.get("bin", "arrayBuffer"))!)], [0, 1, 127, 128, 255]);
    assert.equal(await kv.get("bin"), "\u0000\u0001\u007f\ufffd\ufffd");
    await kv.put("bom", "\ufeffhi");
    assert.equal(await kv.get("bom"), "\ufeffhi");
  });

  it("returns a fresh ArrayBuffer on every read", async () => {
    await kv.put("k", "abc");
    const a = (await kv.get("k", "arrayBuffer"))!;
    new Uint8Array(a).fill(0);
    assert.equal(await kv.get("k"), "abc");
    assert.equal(a.byteLength, 3);
  });
});

describe("KVNamespace: put", () => {
  it("stores strings, ArrayBuffers, views (only their window) and streams", async () => {
    await kv.put("s", "välue ✓ 😀");
    assert.equal(await kv.get("s"), "välue ✓ 😀");
    await kv.put("ab", new TextEncoder().encode("from buffer").buffer);
    assert.equal(await kv.get("ab"), "from buffer");
    const whole = new TextEncoder().encode("xxwindowxx");
    await kv.put("view", whole.subarray(2, 8));
    assert.equal(await kv.get("view"), "window");
    await kv.put("dv", new DataView(whole.buffer, 2, 6));
    assert.equal(await kv.get("dv"), "window");
    await kv.put("stream", streamOf("part1-", "part2-", "part3"));
    assert.equal(await kv.get("stream"), "part1-part2-part3");
    await kv.put("empty", "");
    assert.equal(await kv.get("empty"), "");
    await kv.put("emptystream", streamOf());
    assert.equal(await kv.get("emptystream"), "");
  });

  it("copies the value: changing the caller's buffer afterwards changes nothing", async () => {
    const bytes = new TextEncoder().encode("original");
    const pending = kv.put("k", bytes);
    bytes.fill(65);
    await pending;
    assert.equal(await kv.get("k"), "original");
  });

  it("refuses other objects, and converts other primitives to strings", async () => {
    const message = "KV put() accepts only strings, ArrayBuffers, ArrayBufferViews, and ReadableStreams as values.";
    await rejectsWith(kv.put("k", {} as unknown as string), TypeError, message);
    await rejectsWith(kv.put("k", new Blob(["x"]) as unknown as string), TypeError, message);
    await rejectsWith(kv.put("k", [1, 2] as unknown as string), TypeError, message);
    await kv.put("n", 42 as unknown as string);
    assert.equal(await kv.get("n"), "42");
    assert.equal(await kv.get("k"), null, "a refused put writes nothing");
  });

  it("refuses a stream that yields something other than bytes", async () => {
    const stream = new ReadableStream({
      start(c) {
        c.enqueue("text chunk");
        c.close();
      },
    });
    await rejectsWith(kv.put("k", stream), TypeError, "This ReadableStream did not return bytes.");
  });

  it("validates expirationTtl and expiration with Cloudflare's messages", async () => {
    await rejectsWith(kv.put("k", "v", { expirationTtl: 30 }), Error, "KV PUT failed: 400 Invalid expiration_ttl of 30. Expiration TTL must be at least 60.");
    await rejectsWith(kv.put("k", "v", { expirationTtl: 59 }), Error, "KV PUT failed: 400 Invalid expiration_ttl of 59. Expiration TTL must be at least 60.");
    await rejectsWith(kv.put("k", "v", { expirationTtl: 0 }), Error, "KV PUT failed: 400 Invalid expiration_ttl of 0. Please specify integer greater than 0.");
    await rejectsWith(kv.put("k", "v", { expirationTtl: -5 }), Error, "KV PUT failed: 400 Invalid expiration_ttl of -5. Please specify integer greater than 0.");
    await rejectsWith(kv.put("k", "v", { expirationTtl: NaN }), Error, "KV PUT failed: 400 Invalid expiration_ttl of NaN. Please specify integer greater than 0.");
    await rejectsWith(
      kv.put("k", "v", { expiration: 1000 }),
      Error,
      "KV PUT failed: 400 Invalid expiration of 1000. Please specify integer greater than the current number of seconds since the UNIX epoch.",
    );
    await rejectsWith(
      kv.put("k", "v", { expiration: NOW_S }),
      Error,
      `KV PUT failed: 400 Invalid expiration of ${NOW_S}. Please specify integer greater than the current number of seconds since the UNIX epoch.`,
    );
    await rejectsWith(
      kv.put("k", "v", { expiration: NOW_S + 59 }),
      Error,
      `KV PUT failed: 400 Invalid expiration of ${NOW_S + 59}. Expiration times must be at least 60 seconds in the future.`,
    );
    assert.equal(await kv.get("k"), null);
    await kv.put("k60", "v", { expirationTtl: 60 });
    await kv.put("abs60", "v", { expiration: NOW_S + 60 });
    assert.deepEqual((await kv.list()).keys, [
      { name: "abs60", expiration: NOW_S + 60 },
      { name: "k60", expiration: NOW_S + 60 },
    ]);
  });

  it("lets expirationTtl win when both are given (the absolute value is then not checked)", async () => {
    await kv.put("both", "v", { expiration: 1000, expirationTtl: 600 });
    assert.deepEqual((await kv.list()).keys, [{ name: "both", expiration: NOW_S + 600 }]);
  });

  it("limits metadata to 1024 bytes of JSON", async () => {
    const fits = { m: "x".repeat(1024 - '{"m":""}'.length) };
    assert.equal(JSON.stringify(fits).length, 1024);
    await kv.put("fits", "v", { metadata: fits });
    assert.deepEqual((await kv.getWithMetadata("fits")).metadata, fits);
    await rejectsWith(kv.put("big", "v", { metadata: { m: "x".repeat(1017) } }), Error, "KV PUT failed: 413 Metadata length of 1025 exceeds limit of 1024.");
    // Counted in UTF-8 bytes: 700 "é" are 1400 bytes, plus two quotes.
    await rejectsWith(kv.put("big", "v", { metadata: "é".repeat(700) }), Error, "KV PUT failed: 413 Metadata length of 1402 exceeds limit of 1024.");
  });

  it("limits values to 25 MiB (26214400 bytes), for buffers and streams", async () => {
    const limit = 25 * 1024 * 1024;
    await rejectsWith(kv.put("huge", new Uint8Array(limit + 1)), Error, "KV PUT failed: 413 Value length of 26214401 exceeds limit of 26214400.");
    await rejectsWith(kv.put("huge", "x".repeat(limit + 1)), Error, "KV PUT failed: 413 Value length of 26214401 exceeds limit of 26214400.");
    const chunk = new Uint8Array(1024 * 1024);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent >= 26) return c.close();
        sent++;
        c.enqueue(chunk.slice());
      },
    });
    await rejectsWith(kv.put("huge", stream), Error, "KV PUT failed: 413 Value length of 27262976 exceeds limit of 26214400.");
    assert.equal(await kv.get("huge"), null);
    await kv.put("max", new Uint8Array(limit).fill(120));
    assert.equal((await kv.get("max", "arrayBuffer"))!.byteLength, limit);
  });
});

describe("KVNamespace: expiry", () => {
  it("hides a key from get, getWithMetadata, bulk get and list once its TTL has passed", async () => {
    await kv.put("ttl", "t", { expirationTtl: 120, metadata: { m: 1 } });
    await kv.put("keep", "k");
    assert.deepEqual(await kv.list(), {
      keys: [{ name: "keep" }, { name: "ttl", expiration: NOW_S + 120, metadata: { m: 1 } }],
      list_complete: true,
      cacheStatus: null,
    });
    clock.advance(119_999);
    assert.equal(await kv.get("ttl"), "t");
    clock.advance(1);
    assert.equal(await kv.get("ttl"), null);
    assert.deepEqual(await kv.getWithMetadata("ttl"), { value: null, metadata: null, cacheStatus: null });
    assert.deepEqual(await kv.get(["ttl", "keep"]), new Map([["ttl", null], ["keep", "k"]]));
    assert.deepEqual(await kv.list(), { keys: [{ name: "keep" }], list_complete: true, cacheStatus: null });
  });

  it("reports an absolute expiration exactly", async () => {
    await kv.put("abs", "a", { expiration: 2_000_000_000 });
    assert.deepEqual((await kv.list()).keys, [{ name: "abs", expiration: 2_000_000_000 }]);
  });
});

describe("KVNamespace: metadata", () => {
  it("round-trips any JSON value, clears it on overwrite and reports null when absent", async () => {
    const meta = { role: "admin", tags: ["a", "b"], n: 1.5 };
    await kv.put("user:1", "Ada", { metadata: meta });
    assert.deepEqual(await kv.getWithMetadata("user:1"), { value: "Ada", metadata: meta, cacheStatus: null });
    await kv.put("j", '{"a":1}', { metadata: "just a string" });
    assert.deepEqual(await kv.getWithMetadata("j", "json"), { value: { a: 1 }, metadata: "just a string", cacheStatus: null });
    const withBuffer = await kv.getWithMetadata("j", { type: "arrayBuffer" });
    assert.deepEqual([...new Uint8Array(withBuffer.value!)], [123, 34, 97, 34, 58, 49, 125]);
    await kv.put("arr", "x", { metadata: [1, "two", null] });
    await kv.put("nullmeta", "x", { metadata: null });
    await kv.put("user:1", "Ada v2");
    assert.deepEqual(await kv.getWithMetadata("user:1"), { value: "Ada v2", metadata: null, cacheStatus: null });
    assert.deepEqual(await kv.getWithMetadata("missing"), { value: null, metadata: null, cacheStatus: null });
    assert.deepEqual((await kv.list()).keys, [
      { name: "arr", metadata: [1, "two", null] },
      { name: "j", metadata: "just a string" },
      { name: "nullmeta" },
      { name: "user:1" },
    ]);
  });

  it("returns a stream from getWithMetadata(…, 'stream')", async () => {
    await kv.put("s", "streamed", { metadata: { m: true } });
    const result = await kv.getWithMetadata("s", "stream");
    assert.ok(result.value instanceof ReadableStream);
    assert.equal(await new Response(result.value).text(), "streamed");
    assert.deepEqual(result.metadata, { m: true });
  });
});

describe("KVNamespace: list", () => {
  it("orders keys by UTF-8 bytes and filters by prefix", async () => {
    const names = ["user:1", "user:10", "user:2", "users", "a", "b", "😀", "\uFF01", "é", "Z"];
    for (const name of names) await kv.put(name, "v");
    const all = await kv.list();
    assert.deepEqual(
      all.keys.map((k) => k.name),
      ["Z", "a", "b", "user:1", "user:10", "user:2", "users", "é", "\uFF01", "😀"],
    );
    assert.equal(all.list_complete, true);
    assert.equal("cursor" in all, false, "no cursor on the last page");
    assert.equal(all.cacheStatus, null);
    assert.deepEqual((await kv.list({ prefix: "user:" })).keys.map((k) => k.name), ["user:1", "user:10", "user:2"]);
    assert.deepEqual((await kv.list({ prefix: "user" })).keys.map((k) => k.name), ["user:1", "user:10", "user:2", "users"]);
    assert.deepEqual(await kv.list({ prefix: "nomatch" }), { keys: [], list_complete: true, cacheStatus: null });
    assert.deepEqual((await kv.list({ prefix: null, cursor: null })).keys.length, 10);
  });

  it("pages with limit and cursor until list_complete", async () => {
    for (const name of ["a", "b", "c", "post:1", "post:2", "user:1", "user:10", "user:2", "user:3", "users"]) await kv.put(name, "v");
    const pages: { names: string[]; complete: boolean }[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await kv.list({ limit: 3, cursor: cursor ?? null });
      pages.push({ names: page.keys.map((k) => k.name), complete: page.list_complete });
      if (page.list_complete) {
        assert.equal("cursor" in page, false);
        break;
      }
      assert.equal(typeof page.cursor, "string");
      assert.ok(page.cursor.length > 0);
      cursor = page.cursor;
    }
    assert.deepEqual(pages, [
      { names: ["a", "b", "c"], complete: false },
      { names: ["post:1", "post:2", "user:1"], complete: false },
      { names: ["user:10", "user:2", "user:3"], complete: false },
      { names: ["users"], complete: true },
    ]);
    const first = await kv.list({ prefix: "user:", limit: 2 });
    assert.equal(first.list_complete, false);
    const second = await kv.list({ prefix: "user:", limit: 2, cursor: first.list_complete ? null : first.cursor });
    assert.deepEqual(second.keys.map((k) => k.name), ["user:2", "user:3"]);
    assert.equal(second.list_complete, true);
  });

  it("treats limit ≤ 0 as the default and rejects limits over 1000", async () => {
    await kv.put("post:1", "v");
    assert.equal((await kv.list({ limit: 0, prefix: "post" })).keys.length, 1);
    assert.equal((await kv.list({ limit: -3 })).keys.length, 1);
    await rejectsWith(kv.list({ limit: 1001 }), Error, "KV GET failed: 400 Invalid key_count_limit of 1001. Please specify an integer less than 1000.");
    assert.equal((await kv.list({ limit: 1000 })).keys.length, 1);
  });

  it("rejects a prefix over 512 bytes", async () => {
    await rejectsWith(kv.list({ prefix: "p".repeat(513) }), Error, "KV GET failed: 414 UTF-8 encoded length of 513 exceeds key length limit of 512.");
  });

  it("returns at most 1000 keys per page by default", async () => {
    for (let i = 0; i < 1001; i++) await kv.put(`k${String(i).padStart(4, "0")}`, "");
    const page = await kv.list();
    assert.equal(page.keys.length, 1000);
    assert.equal(page.list_complete, false);
    const rest = await kv.list({ cursor: page.list_complete ? null : page.cursor });
    assert.deepEqual(rest.keys, [{ name: "k1000" }]);
  });
});

describe("KVNamespace: bulk get", () => {
  beforeEach(async () => {
    await kv.put("a", '{"n":1}');
    await kv.put("b", '"two"', { metadata: { m: "b" } });
    await kv.put("c", "plain");
  });

  it("returns a Map in request order, null for missing keys, duplicates collapsed", async () => {
    const map = await kv.get(["c", "a", "missing", "b"]);
    assert.ok(map instanceof Map);
    assert.deepEqual([...map], [["c", "plain"], ["a", '{"n":1}'], ["missing", null], ["b", '"two"']]);
    assert.deepEqual([...(await kv.get(["a", "a", "b"]))], [["a", '{"n":1}'], ["b", '"two"']]);
    assert.deepEqual([...(await kv.get(["a", "b", "zz"], "json"))], [["a", { n: 1 }], ["b", "two"], ["zz", null]]);
    assert.deepEqual([...(await kv.get(["a", "b"], { type: "json" }))], [["a", { n: 1 }], ["b", "two"]]);
    assert.deepEqual([...(await kv.get(["c"], { type: "text", cacheTtl: 60 }))], [["c", "plain"]]);
  });

  it("getWithMetadata([...]) maps keys to {value, metadata}", async () => {
    assert.deepEqual(
      [...(await kv.getWithMetadata(["a", "b", "zz"]))],
      [["a", { value: '{"n":1}', metadata: null }], ["b", { value: '"two"', metadata: { m: "b" } }], ["zz", null]],
    );
    assert.deepEqual([...(await kv.getWithMetadata(["b"], "json"))], [["b", { value: "two", metadata: { m: "b" } }]]);
  });

  it("rejects bad requests with GET_BULK errors", async () => {
    await rejectsWith(kv.get(["a", "c"], "json"), Error, "KV GET_BULK failed: 400 At least one of the requested keys corresponds to a non-json value");
    await rejectsWith(kv.get(["a"], "arrayBuffer" as "text"), Error, 'KV GET_BULK failed: 400 "arrayBuffer" is not a valid type. Use "json" or "text"');
    await rejectsWith(kv.get(["a"], "stream" as "text"), Error, 'KV GET_BULK failed: 400 "stream" is not a valid type. Use "json" or "text"');
    await rejectsWith(kv.getWithMetadata(["a"], { type: "arrayBuffer" } as unknown as { type: "text" }), Error, 'KV GET_BULK failed: 400 "arrayBuffer" is not a valid type. Use "json" or "text"');
    await rejectsWith(kv.get([]), Error, "KV GET_BULK failed: 400 You must request a minimum of 1 key");
    const keys = Array.from({ length: 101 }, (_, i) => `k${i}`);
    await rejectsWith(kv.get(keys), Error, "KV GET_BULK failed: 400 You can request a maximum of 100 keys");
    assert.equal((await kv.get(keys.slice(0, 100))).size, 100);
    await rejectsWith(kv.get(["a", ""]), Error, "KV GET_BULK failed: 400 Key names must not be empty");
    await rejectsWith(kv.get([".."]), Error, 'KV GET_BULK failed: 400 Illegal key name "..". Please use a different name.');
    await rejectsWith(kv.get(["k".repeat(513)]), Error, "KV GET_BULK failed: 414 UTF-8 encoded length of 513 exceeds key length limit of 512.");
    await rejectsWith(kv.get(["a"], { type: "text", cacheTtl: 5 }), Error, "KV GET_BULK failed: 400 Invalid cache_ttl of 5. Cache TTL must be at least 30.");
  });

  it("limits the total size of a bulk read to 25 MiB", async () => {
    const fifteen = "x".repeat(15 * 1024 * 1024);
    await kv.put("big1", fifteen);
    await kv.put("big2", fifteen);
    assert.equal((await kv.get(["big1"])).get("big1")!.length, fifteen.length);
    await rejectsWith(kv.get(["big1", "big2"]), Error, "KV GET_BULK failed: 413 Total size of request exceeds the limit of 25MB");
  });
});

describe("KVNamespace: delete", () => {
  it("deletes, and deleting a missing key succeeds", async () => {
    await kv.put("k", "v");
    assert.equal(await kv.delete("k"), undefined);
    assert.equal(await kv.get("k"), null);
    assert.equal(await kv.delete("never-existed"), undefined);
  });
});

describe("KVNamespace: storage", () => {
  it("keeps a value above the blob threshold across a reopen", async () => {
    const big = new Uint8Array(1024 * 1024 + 3);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 0xff;
    await kv.put("big", big, { metadata: { size: big.length }, expiration: 2_000_000_000 });
    await kv.put("small", "s");
    await closeKvNamespaces();
    const reopened = createKvNamespace(descriptor, { clock });
    const got = await reopened.getWithMetadata("big", "arrayBuffer");
    assert.ok(Buffer.from(got.value!).equals(Buffer.from(big)));
    assert.deepEqual(got.metadata, { size: big.length });
    assert.deepEqual((await reopened.list()).keys, [{ name: "big", expiration: 2_000_000_000, metadata: { size: big.length } }, { name: "small" }]);
  });

  it("streams a large value in and out", async () => {
    const part = "0123456789".repeat(20_000);
    await kv.put("streamed", streamOf(part, part, part));
    const out = await kv.get("streamed", "stream");
    assert.equal((await new Response(out).text()).length, part.length * 3);
  });

  it("separates namespaces", async () => {
    const other = createKvNamespace({ kind: "kv", name: "OTHER", namespaceId: "other", dir: path.join(root, "kv", `other${n}`) }, { clock });
    await kv.put("shared-key", "in KV");
    await other.put("shared-key", "in OTHER");
    assert.equal(await kv.get("shared-key"), "in KV");
    assert.equal(await other.get("shared-key"), "in OTHER");
  });

  it("reports a failing store as KV's 500, keeping the cause", async () => {
    const broken = new Error("disk on fire");
    const failing: KvStore = {
      get: () => Promise.reject(broken),
      getMany: () => Promise.reject(broken),
      put: () => Promise.reject(broken),
      delete: () => Promise.reject(broken),
      list: () => Promise.reject(broken),
      close: () => Promise.resolve(),
    };
    const api = createKvApi(failing, { clock });
    await rejectsWith(api.get("k"), Error, "KV GET failed: 500 Internal Server Error");
    await rejectsWith(api.get(["k"]), Error, "KV GET_BULK failed: 500 Internal Server Error");
    await rejectsWith(api.put("k", "v"), Error, "KV PUT failed: 500 Internal Server Error");
    await rejectsWith(api.delete("k"), Error, "KV DELETE failed: 500 Internal Server Error");
    await rejectsWith(api.list(), Error, "KV GET failed: 500 Internal Server Error");
    await assert.rejects(api.get("k"), (e: Error) => e.cause === broken);
  });
});
