/**
 * The conformance suite every KvStore driver runs (see store.ts for the contract it checks).
 * A driver's test file calls `runKvStoreCases(name, factory)`; a case the driver cannot pass is
 * listed in `skip` with the reason.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { fixedClock } from "../../shared/clock.js";
import type { KvStore } from "./store.js";

export interface KvStoreUnderTest {
  store: KvStore;
  /**
   * Closes `store` and opens a new one on the same data (persistence cases). Omit for drivers
   * whose data does not outlive the handle; those cases are then skipped.
   */
  reopen?: () => Promise<KvStore>;
  /** Opens a second, independent handle on the same data (multi-handle cases). Optional. */
  openAnother?: () => Promise<KvStore>;
  /** Removes everything the factory created. */
  dispose: () => Promise<void>;
}

export type KvStoreFactory = (options: { clock: ReturnType<typeof fixedClock> }) => Promise<KvStoreUnderTest>;

export type KvStoreCaseName = (typeof CASE_NAMES)[number];

const CASE_NAMES = [
  "missing key",
  "bytes round trip",
  "fresh copies",
  "empty value",
  "overwrite",
  "metadata verbatim",
  "expiration",
  "delete",
  "utf-8 byte order",
  "prefix",
  "pagination",
  "cursor after writes",
  "getMany",
  "large values",
  "serialised writes",
  "persistence",
  "second handle",
  "close",
] as const;

const START_MS = 1_700_000_000_000;
const enc = new TextEncoder();
const dec = new TextDecoder();
const bytes = (s: string) => enc.encode(s);
const text = (b: Uint8Array) => dec.decode(b);

export function runKvStoreCases(
  driverName: string,
  factory: KvStoreFactory,
  options: { skip?: Partial<Record<KvStoreCaseName, string>> } = {},
): void {
  describe(`KvStore conformance: ${driverName}`, () => {
    let t: KvStoreUnderTest;
    let store: KvStore;
    let clock: ReturnType<typeof fixedClock>;
    let n = 0;
    /** A key prefix unique to the running case, so cases share one store without interfering. */
    let ns = "";

    before(async () => {
      clock = fixedClock(START_MS);
      t = await factory({ clock });
      store = t.store;
    });
    after(async () => {
      await store.close();
      await t.dispose();
    });

    const test = (name: KvStoreCaseName, fn: () => Promise<void>) => {
      const skip = options.skip?.[name];
      it(name, skip ? { skip } : {}, async () => {
        ns = `case${++n}/`;
        clock.set(START_MS);
        await fn();
      });
    };

    test("missing key", async () => {
      assert.equal(await store.get(ns + "nope"), null);
      assert.equal(await store.delete(ns + "nope"), false);
    });

    test("bytes round trip", async () => {
      const value = new Uint8Array([0, 1, 127, 128, 255]);
      await store.put({ key: ns + "bin", value });
      const got = await store.get(ns + "bin");
      assert.ok(got);
      assert.equal(got.key, ns + "bin");
      assert.deepEqual([...got.value], [0, 1, 127, 128, 255]);
      assert.equal(got.expiration, undefined);
      assert.equal(got.metadata, undefined);
      assert.equal(Object.getPrototypeOf(got.value), Uint8Array.prototype, "a plain Uint8Array, not a Buffer");
      assert.equal(got.value.byteOffset, 0);
      assert.equal(got.value.buffer.byteLength, got.value.byteLength);
    });

    test("fresh copies", async () => {
      const value = bytes("original");
      await store.put({ key: ns + "k", value });
      value.fill(0); // the caller's buffer changes after the put
      const first = await store.get(ns + "k");
      assert.equal(text(first!.value), "original");
      first!.value.fill(0); // the reader mutates what it got
      assert.equal(text((await store.get(ns + "k"))!.value), "original");
    });

    test("empty value", async () => {
      await store.put({ key: ns + "empty", value: new Uint8Array(0) });
      const got = await store.get(ns + "empty");
      assert.ok(got);
      assert.equal(got.value.byteLength, 0);
    });

    test("overwrite", async () => {
      await store.put({ key: ns + "k", value: bytes("v1"), expiration: START_MS / 1000 + 3600, metadata: '{"a":1}' });
      await store.put({ key: ns + "k", value: bytes("v2") });
      const got = await store.get(ns + "k");
      assert.deepEqual({ ...got!, value: text(got!.value) }, { key: ns + "k", value: "v2" });
    });

    test("metadata verbatim", async () => {
      const metadata = '{ "spaced" : [1, "two", null], "é": "😀" }';
      await store.put({ key: ns + "m", value: bytes("x"), metadata });
      assert.equal((await store.get(ns + "m"))!.metadata, metadata);
      const page = await store.list({ prefix: ns, limit: 10 });
      assert.deepEqual(page.keys, [{ name: ns + "m", metadata }]);
    });

    test("expiration", async () => {
      const at = START_MS / 1000 + 120;
      await store.put({ key: ns + "exp", value: bytes("soon"), expiration: at });
      await store.put({ key: ns + "keep", value: bytes("forever") });
      assert.equal((await store.get(ns + "exp"))!.expiration, at);
      assert.deepEqual(await store.list({ prefix: ns, limit: 10 }), {
        keys: [{ name: ns + "exp", expiration: at }, { name: ns + "keep" }],
      });
      clock.set(at * 1000 - 1); // one millisecond before: still there
      assert.equal(text((await store.get(ns + "exp"))!.value), "soon");
      clock.set(at * 1000); // expired from this instant on
      assert.equal(await store.get(ns + "exp"), null);
      assert.deepEqual((await store.getMany([ns + "exp"]))[0], null);
      assert.deepEqual(await store.list({ prefix: ns, limit: 10 }), { keys: [{ name: ns + "keep" }] });
      assert.equal(await store.delete(ns + "exp"), false, "deleting an expired entry removes nothing live");
      // A new value under an expired key is a fresh entry.
      await store.put({ key: ns + "exp", value: bytes("again") });
      assert.equal(text((await store.get(ns + "exp"))!.value), "again");
    });

    test("delete", async () => {
      await store.put({ key: ns + "d", value: bytes("x") });
      assert.equal(await store.delete(ns + "d"), true);
      assert.equal(await store.get(ns + "d"), null);
      assert.equal(await store.delete(ns + "d"), false);
      assert.deepEqual(await store.list({ prefix: ns, limit: 10 }), { keys: [] });
    });

    test("utf-8 byte order", async () => {
      // JS (UTF-16) order would put "😀" (D83D…) before "！" (FF01); UTF-8 order is EF… < F0….
      const names = ["z", "a", "a\u0000b", "A", "é", "\uFF01", "😀", "ab", "a/b", "\u00FF"];
      for (const name of names) await store.put({ key: ns + name, value: bytes(name) });
      const page = await store.list({ prefix: ns, limit: 100 });
      const expected = [...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
      assert.deepEqual(
        page.keys.map((k) => k.name.slice(ns.length)),
        expected,
      );
      assert.deepEqual(expected, ["A", "a", "a\u0000b", "a/b", "ab", "z", "é", "\u00FF", "\uFF01", "😀"]);
    });

    test("prefix", async () => {
      for (const name of ["user:1", "user:10", "user:2", "users", "userz", "use", "post:1", "ü:1", "ü", "üa"]) {
        await store.put({ key: ns + name, value: bytes("v") });
      }
      const names = async (prefix: string) =>
        (await store.list({ prefix: ns + prefix, limit: 100 })).keys.map((k) => k.name.slice(ns.length));
      assert.deepEqual(await names("user:"), ["user:1", "user:10", "user:2"]);
      assert.deepEqual(await names("user"), ["user:1", "user:10", "user:2", "users", "userz"]);
      assert.deepEqual(await names("ü"), ["ü", "ü:1", "üa"]);
      assert.deepEqual(await names("nomatch"), []);
      assert.deepEqual(await names(""), ["post:1", "use", "user:1", "user:10", "user:2", "users", "userz", "ü", "ü:1", "üa"]);
    });

    test("pagination", async () => {
      const all = Array.from({ length: 7 }, (_, i) => `k${i}`);
      for (const name of all) await store.put({ key: ns + name, value: bytes(name) });
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.list({ prefix: ns, limit: 3, ...(cursor !== undefined && { cursor }) });
        pages++;
        seen.push(...page.keys.map((k) => k.name.slice(ns.length)));
        cursor = page.cursor;
        if (cursor !== undefined) assert.equal(typeof cursor, "string");
      } while (cursor !== undefined && pages < 10);
      assert.deepEqual(seen, all);
      assert.equal(pages, 3);
      // A page that ends exactly at the last key carries no cursor.
      const exact = await store.list({ prefix: ns, limit: 7 });
      assert.equal(exact.keys.length, 7);
      assert.equal(exact.cursor, undefined);
      // Listing with a page's cursor resumes right after that page's last key.
      const first = await store.list({ prefix: ns, limit: 1 });
      assert.deepEqual(
        (await store.list({ prefix: ns, limit: 100, cursor: first.cursor! })).keys.map((k) => k.name.slice(ns.length)),
        all.slice(1),
      );
    });

    test("cursor after writes", async () => {
      for (const name of ["a", "c", "e"]) await store.put({ key: ns + name, value: bytes(name) });
      const first = await store.list({ prefix: ns, limit: 2 });
      assert.deepEqual(first.keys.map((k) => k.name.slice(ns.length)), ["a", "c"]);
      await store.put({ key: ns + "b", value: bytes("b") }); // before the cursor: not seen
      await store.put({ key: ns + "d", value: bytes("d") }); // after it: seen
      await store.delete(ns + "c"); // the cursor's own key may disappear
      const rest = await store.list({ prefix: ns, limit: 10, cursor: first.cursor! });
      assert.deepEqual(rest.keys.map((k) => k.name.slice(ns.length)), ["d", "e"]);
      assert.equal(rest.cursor, undefined);
    });

    test("getMany", async () => {
      await store.put({ key: ns + "a", value: bytes("A"), metadata: '"m"' });
      await store.put({ key: ns + "b", value: bytes("B") });
      const got = await store.getMany([ns + "b", ns + "missing", ns + "a", ns + "b"]);
      assert.deepEqual(
        got.map((e) => e && { ...e, value: text(e.value) }),
        [
          { key: ns + "b", value: "B" },
          null,
          { key: ns + "a", value: "A", metadata: '"m"' },
          { key: ns + "b", value: "B" },
        ],
      );
      assert.deepEqual(await store.getMany([]), []);
    });

    test("large values", async () => {
      const big = new Uint8Array(3 * 1024 * 1024 + 7);
      for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
      await store.put({ key: ns + "big", value: big, metadata: "1" });
      const got = await store.get(ns + "big");
      assert.ok(got);
      assert.equal(got.value.byteLength, big.byteLength);
      assert.ok(Buffer.from(got.value).equals(Buffer.from(big)));
      assert.equal(Object.getPrototypeOf(got.value), Uint8Array.prototype);
      // Replace large with small and small with large.
      await store.put({ key: ns + "big", value: bytes("small now") });
      assert.equal(text((await store.get(ns + "big"))!.value), "small now");
      await store.put({ key: ns + "big", value: big });
      assert.equal((await store.get(ns + "big"))!.value.byteLength, big.byteLength);
      assert.equal(await store.delete(ns + "big"), true);
      assert.equal(await store.get(ns + "big"), null);
    });

    test("serialised writes", async () => {
      // Not awaited one by one: the last call must win, whatever each value's size.
      const big = new Uint8Array(200 * 1024).fill(1);
      await Promise.all([
        store.put({ key: ns + "race", value: big }),
        store.put({ key: ns + "race", value: bytes("second") }),
        store.put({ key: ns + "race", value: big }),
        store.put({ key: ns + "race", value: bytes("last") }),
      ]);
      assert.equal(text((await store.get(ns + "race"))!.value), "last");
      await Promise.all([store.put({ key: ns + "gone", value: bytes("x") }), store.delete(ns + "gone")]);
      assert.equal(await store.get(ns + "gone"), null);
    });

    test("persistence", async () => {
      if (!t.reopen) return;
      const big = new Uint8Array(300 * 1024).fill(7);
      await store.put({ key: ns + "small", value: bytes("s"), metadata: '{"v":2}', expiration: 2_000_000_000 });
      await store.put({ key: ns + "big", value: big });
      await store.put({ key: ns + "deleted", value: bytes("x") });
      await store.delete(ns + "deleted");
      store = await t.reopen();
      const small = await store.get(ns + "small");
      assert.deepEqual({ ...small!, value: text(small!.value) }, {
        key: ns + "small",
        value: "s",
        metadata: '{"v":2}',
        expiration: 2_000_000_000,
      });
      assert.ok(Buffer.from((await store.get(ns + "big"))!.value).equals(Buffer.from(big)));
      assert.equal(await store.get(ns + "deleted"), null);
    });

    test("second handle", async () => {
      if (!t.openAnother) return;
      const other = await t.openAnother();
      try {
        await store.put({ key: ns + "shared", value: bytes("from one") });
        assert.equal(text((await other.get(ns + "shared"))!.value), "from one");
        await other.put({ key: ns + "shared", value: new Uint8Array(100 * 1024).fill(2) });
        assert.equal((await store.get(ns + "shared"))!.value.byteLength, 100 * 1024);
        await other.delete(ns + "shared");
        assert.equal(await store.get(ns + "shared"), null);
      } finally {
        await other.close();
      }
    });

    test("close", async () => {
      if (!t.reopen) return;
      await store.put({ key: ns + "k", value: bytes("v") });
      const closed = store;
      store = await t.reopen(); // closes the old handle
      await assert.rejects(closed.get(ns + "k"));
      await assert.rejects(closed.put({ key: ns + "k", value: bytes("w") }));
      await closed.close(); // twice is fine
      assert.equal(text((await store.get(ns + "k"))!.value), "v");
    });
  });
}
