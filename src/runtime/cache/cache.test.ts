import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { fixedClock } from "../../shared/clock.js";
import { CacheStorage } from "./cache-storage.js";
import { CACHE_INLINE_BODY_MAX_BYTES } from "./store.js";

const roots: string[] = [];
after(() => {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

function setup() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-cache-"));
  roots.push(root);
  const clock = fixedClock(Date.UTC(2026, 0, 1));
  return { root, clock, caches: new CacheStorage(root, clock) };
}

const U = (p: string) => "https://cache.example" + p;
const cached = (body: BodyInit | null, headers: Record<string, string> = {}, status = 200) =>
  new Response(body, { status, headers: { "cache-control": "max-age=60", ...headers } });

async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "resolved";
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}

describe("Cache API", () => {
  it("puts, matches (with CF-Cache-Status: HIT) and deletes, keyed by the full URL", async () => {
    const { caches } = setup();
    const cache = caches.default;
    assert.equal(await cache.put(U("/a?x=1"), cached("A", { "content-type": "text/plain" })), undefined);
    const hit = await cache.match(new Request(U("/a?x=1")));
    assert.ok(hit);
    assert.equal(hit.status, 200);
    assert.equal(await hit.text(), "A");
    assert.equal(hit.headers.get("content-type"), "text/plain");
    assert.equal(hit.headers.get("cf-cache-status"), "HIT");
    assert.equal(await cache.match(U("/a?x=2")), undefined);
    assert.equal(await cache.match(new URL(U("/a"))), undefined);
    assert.equal(await cache.delete(U("/a?x=1")), true);
    assert.equal(await cache.delete(U("/a?x=1")), false);
    assert.equal(await cache.match(U("/a?x=1")), undefined);
  });

  it("matches and deletes only GET unless ignoreMethod", async () => {
    const { caches } = setup();
    const cache = caches.default;
    await cache.put(U("/m"), cached("M"));
    const post = () => new Request(U("/m"), { method: "POST" });
    assert.equal(await cache.match(post()), undefined);
    assert.equal(await (await cache.match(post(), { ignoreMethod: true }))?.text(), "M");
    assert.equal(await cache.delete(post()), false);
    assert.equal(await cache.delete(post(), { ignoreMethod: true }), true);
  });

  it("rejects non-GET requests, 206 responses, Vary: * and WebSocket upgrades with Cloudflare's TypeErrors", async () => {
    const { caches } = setup();
    const cache = caches.default;
    assert.equal(
      await rejection(cache.put(new Request(U("/p"), { method: "POST" }), cached("x"))),
      "TypeError: Cannot cache response to non-GET request.",
    );
    assert.equal(await rejection(cache.put(U("/p"), cached("x", {}, 206))), "TypeError: Cannot cache response to a range request (206 Partial Content).");
    assert.equal(await rejection(cache.put(U("/p"), cached("x", { vary: "Accept, *" }))), "TypeError: Cannot cache response with 'Vary: *' header.");
    const upgrade = cached(null);
    Object.defineProperty(upgrade, "webSocket", { value: {} });
    assert.equal(await rejection(cache.put(U("/p"), upgrade)), "TypeError: Cannot cache WebSocket upgrade response.");
  });

  it("silently skips responses that may not be stored", async () => {
    const { caches } = setup();
    const cache = caches.default;
    const skipped: Record<string, Record<string, string>> = {
      "/no-store": { "cache-control": "no-store" },
      "/private": { "cache-control": "private, max-age=60" },
      "/no-cache": { "cache-control": "no-cache" },
      "/cookie": { "cache-control": "max-age=60", "set-cookie": "a=b" },
      "/expired": { "cache-control": "", expires: "Thu, 01 Jan 1970 00:00:00 GMT" },
      "/nothing": { "cache-control": "" },
    };
    for (const [p, headers] of Object.entries(skipped)) {
      assert.equal(await cache.put(U(p), new Response("x", { headers })), undefined, p);
      assert.equal(await cache.match(U(p)), undefined, p);
    }
  });

  it("stores private=Set-Cookie responses without their cookie", async () => {
    const { caches } = setup();
    await caches.default.put(U("/c"), cached("c", { "cache-control": "max-age=60, private=set-cookie", "set-cookie": "a=b" }));
    const hit = await caches.default.match(U("/c"));
    assert.ok(hit);
    assert.equal(hit.headers.has("set-cookie"), false);
  });

  it("expires entries by the injected clock (max-age, s-maxage, Expires)", async () => {
    const { caches, clock } = setup();
    const cache = caches.default;
    await cache.put(U("/short"), cached("s", { "cache-control": "max-age=600, s-maxage=2" }));
    await cache.put(U("/long"), cached("l", { "cache-control": "max-age=600" }));
    await cache.put(U("/expires"), new Response("e", { headers: { expires: new Date(clock.now() + 10_000).toUTCString() } }));
    clock.advance(1999);
    assert.ok(await cache.match(U("/short")));
    clock.advance(1);
    assert.equal(await cache.match(U("/short")), undefined);
    assert.ok(await cache.match(U("/expires")));
    clock.advance(8000);
    assert.equal(await cache.match(U("/expires")), undefined);
    assert.equal(await cache.delete(U("/expires")), false);
    clock.advance(589_999);
    assert.ok(await cache.match(U("/long")));
    clock.advance(1);
    assert.equal(await cache.match(U("/long")), undefined);
  });

  it("honours Vary: the named request headers must match the ones the response was put with", async () => {
    const { caches } = setup();
    const cache = caches.default;
    const withLang = (lang?: string) => new Request(U("/v"), { headers: lang ? { "accept-language": lang } : {} });
    await cache.put(withLang("fr"), cached("bonjour", { vary: "Accept-Language" }));
    assert.equal(await (await cache.match(withLang("fr")))?.text(), "bonjour");
    assert.equal(await cache.match(withLang("de")), undefined);
    assert.equal(await cache.match(withLang()), undefined);
  });

  it("answers conditional requests with 304 and ranges with 206 / 416", async () => {
    const { caches } = setup();
    const cache = caches.default;
    await cache.put(U("/e"), cached("body of /etag", { etag: '"v1"', "last-modified": "Wed, 01 Jan 2020 00:00:00 GMT" }));
    const get = (headers: Record<string, string>) => cache.match(new Request(U("/e"), { headers }));
    const notModified = await get({ "if-none-match": '"v1"' });
    assert.equal(notModified?.status, 304);
    assert.equal(notModified?.headers.get("etag"), '"v1"');
    assert.equal((await get({ "if-modified-since": "Wed, 01 Jan 2020 00:00:00 GMT" }))?.status, 304);
    assert.equal((await get({ "if-none-match": '"v0"' }))?.status, 200);
    const range = await get({ range: "bytes=0-3" });
    assert.equal(range?.status, 206);
    assert.equal(range?.headers.get("content-range"), "bytes 0-3/13");
    assert.equal(await range?.text(), "body");
    const outside = await get({ range: "bytes=20-" });
    assert.equal(outside?.status, 416);
    assert.equal(outside?.headers.get("content-range"), "bytes */13");
  });

  it("keeps named caches apart from caches.default and from each other, and persists them on disk", async () => {
    const { caches, root, clock } = setup();
    const named = await caches.open("my cache");
    assert.equal(await caches.open("my cache"), named);
    await named.put(U("/a"), cached("named"));
    assert.equal(await caches.default.match(U("/a")), undefined);
    assert.equal(await (await caches.open("other")).match(U("/a")), undefined);
    assert.ok(fs.existsSync(path.join(root, "cache", "my%20cache", "db.sqlite")));
    const reopened = new CacheStorage(root, clock);
    assert.equal(await (await (await reopened.open("my cache")).match(U("/a")))?.text(), "named");
  });

  it("streams large bodies through blob files, binary-exact, and replaces them on a second put", async () => {
    const { caches, root } = setup();
    const size = CACHE_INLINE_BODY_MAX_BYTES * 3 + 7;
    const bytes = new Uint8Array(size).map((_, i) => (i * 31) % 256);
    await caches.default.put(U("/big"), cached(bytes));
    const blobs = path.join(root, "cache", "default", "blobs");
    assert.equal(fs.readdirSync(blobs).length, 1);
    const hit = await caches.default.match(U("/big"));
    assert.deepEqual(new Uint8Array(await hit!.arrayBuffer()), bytes);
    await caches.default.put(U("/big"), cached(bytes.slice(1)));
    assert.equal(fs.readdirSync(blobs).length, 1);
    assert.equal((await (await caches.default.match(U("/big")))!.arrayBuffer()).byteLength, size - 1);
    await caches.default.delete(U("/big"));
    assert.equal(fs.readdirSync(blobs).length, 0);
  });
});
