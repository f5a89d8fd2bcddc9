/**
 * The conformance suite every R2Store driver runs (see store.ts for the contract it checks).
 * A driver's test file calls `runR2StoreCases(name, factory)`; a case the driver cannot pass is
 * listed in `skip` with the reason.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, it, type TestContext } from "node:test";
import { fixedClock } from "../../shared/clock.js";
import { R2_MULTIPART_UPLOAD_LIFETIME_MS } from "./limits.js";
import { isR2StoreFailure, type R2Body, type R2BodyReader, type R2PutInput, type R2Store } from "./store.js";

export interface R2StoreUnderTest {
  store: R2Store;
  /** Closes `store` and opens a new one on the same data. Omit for drivers whose data dies with the handle. */
  reopen?: () => Promise<R2Store>;
  /** Opens a second, independent handle on the same data. Optional. */
  openAnother?: () => Promise<R2Store>;
  /** Removes everything the factory created. */
  dispose: () => Promise<void>;
}

/** `minPartSizeBytes` is what the store must use as the smallest multipart part. */
export type R2StoreFactory = (options: { clock: ReturnType<typeof fixedClock>; minPartSizeBytes: number }) => Promise<R2StoreUnderTest>;

export type R2StoreCaseName = (typeof CASE_NAMES)[number];

const CASE_NAMES = [
  "missing key",
  "round trip",
  "metadata",
  "overwrite",
  "checksums",
  "conditional put",
  "conditional get",
  "ranges",
  "delete",
  "any key",
  "list order and prefix",
  "list delimiter",
  "list pagination",
  "failed body",
  "multipart",
  "multipart failures",
  "multipart expiry",
  "same-key order",
  "persistence",
  "second handle",
  "close",
] as const;

const START_MS = 1_700_000_000_000;
const MIN_PART = 1024;
const enc = new TextEncoder();
const md5 = (bytes: Uint8Array) => createHash("md5").update(bytes).digest("hex");

async function* chunks(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === "string" ? enc.encode(part) : part;
}

function pattern(size: number, seed = 7): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

async function readAll(reader: R2BodyReader): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (let r = await reader.next(); !r.done; r = await reader.next()) parts.push(r.value);
  return Buffer.concat(parts);
}

function input(key: string, body: R2Body, extra: Partial<R2PutInput> = {}): R2PutInput {
  return { key, body, httpMetadata: {}, customMetadata: {}, storageClass: "Standard", ...extra };
}

async function failure(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(isR2StoreFailure(e), `expected an R2StoreFailure, got ${String(e)}`);
    assert.equal(e.failure.code, code);
    return true;
  });
}

export function runR2StoreCases(driverName: string, factory: R2StoreFactory, options: { skip?: Partial<Record<R2StoreCaseName, string>> } = {}): void {
  describe(`R2Store conformance: ${driverName}`, () => {
    let clock: ReturnType<typeof fixedClock>;
    let subject: R2StoreUnderTest;
    let store: R2Store;
    before(async () => {
      clock = fixedClock(START_MS);
      subject = await factory({ clock, minPartSizeBytes: MIN_PART });
      store = subject.store;
    });
    after(async () => {
      await store.close();
      await subject.dispose();
    });
    const test = (name: R2StoreCaseName, fn: (t: TestContext) => Promise<void>) =>
      options.skip?.[name] !== undefined ? it(name, { skip: options.skip[name] }, fn) : it(name, fn);
    /** Cases that reopen the data skip themselves for drivers without `reopen`. */
    const reopen = async (t: TestContext): Promise<boolean> => {
      if (subject.reopen !== undefined) return true;
      t.skip("the driver's data does not outlive its handle");
      return false;
    };
    const text = async (key: string) => {
      const got = await store.get(key);
      assert.ok(got && got.status === "ok", `expected ${key} to exist`);
      return Buffer.from(await readAll(got.body)).toString("utf8");
    };

    test("missing key", async () => {
      assert.equal(await store.head("nope"), null);
      assert.equal(await store.get("nope"), null);
    });

    test("round trip", async () => {
      for (const [key, body] of [["empty", new Uint8Array(0)], ["small", pattern(100)], ["large", pattern(300_000)]] as const) {
        const meta = await store.put(input(key, chunks(body.subarray(0, 10), body.subarray(10))));
        assert.ok(meta);
        assert.equal(meta.size, body.byteLength);
        assert.equal(meta.etag, md5(body));
        const got = await store.get(key);
        assert.ok(got?.status === "ok");
        assert.deepEqual(got.range, { offset: 0, length: body.byteLength });
        assert.deepEqual(new Uint8Array(await readAll(got.body)), body);
      }
    });

    test("metadata", async () => {
      const meta = await store.put(
        input("meta", chunks("x"), {
          httpMetadata: { contentType: "text/plain", cacheExpiryMs: 1_900_000_000_000 },
          customMetadata: { b: "2", a: "ü" },
          storageClass: "InfrequentAccess",
        }),
      );
      const head = await store.head("meta");
      assert.deepEqual(head, meta);
      assert.deepEqual(head!.httpMetadata, { contentType: "text/plain", cacheExpiryMs: 1_900_000_000_000 });
      assert.deepEqual(Object.keys(head!.customMetadata), ["b", "a"]);
      assert.equal(head!.storageClass, "InfrequentAccess");
      assert.equal(head!.uploadedMs, START_MS);
      assert.deepEqual(head!.checksums, { md5: md5(enc.encode("x")) });
    });

    test("overwrite", async () => {
      const first = await store.put(input("ow", chunks(pattern(200_000))));
      const second = await store.put(input("ow", chunks("second")));
      assert.notEqual(first!.version, second!.version);
      assert.equal(await text("ow"), "second");
    });

    test("checksums", async () => {
      const body = enc.encode("The quick brown fox jumps over the lazy dog");
      const sha256 = createHash("sha256").update(body).digest("hex");
      const meta = await store.put(input("ck", chunks(body), { expectedChecksum: { algorithm: "sha256", hex: sha256.toUpperCase() } }));
      assert.deepEqual(meta!.checksums, { md5: md5(body), sha256 });
      const wrong = "00" + sha256.slice(2);
      await assert.rejects(store.put(input("ck-bad", chunks(body), { expectedChecksum: { algorithm: "sha256", hex: wrong } })), (e: unknown) => {
        assert.ok(isR2StoreFailure(e));
        assert.deepEqual(e.failure, { code: "BadDigest", algorithm: "SHA-256", providedHex: wrong, actualHex: sha256 });
        return true;
      });
      assert.equal(await store.head("ck-bad"), null);
    });

    test("conditional put", async () => {
      const v1 = await store.put(input("cond", chunks("one")));
      assert.equal(await store.put(input("cond", chunks("two?"), { onlyIf: { etagMatches: [{ type: "strong", value: "nope" }] } })), null);
      assert.equal(await text("cond"), "one");
      assert.ok(await store.put(input("cond", chunks("two"), { onlyIf: { etagMatches: [{ type: "strong", value: v1!.etag }] } })));
      const createOnly = { etagDoesNotMatch: [{ type: "wildcard" as const }] };
      assert.equal(await store.put(input("cond", chunks("three"), { onlyIf: createOnly })), null);
      assert.ok(await store.put(input("cond-new", chunks("fresh"), { onlyIf: createOnly })));
      assert.equal(await text("cond"), "two");
    });

    test("conditional get", async () => {
      const meta = await store.put(input("cg", chunks("body")));
      clock.advance(5000);
      const failed = await store.get("cg", { onlyIf: { uploadedAfterMs: meta!.uploadedMs + 1000 } });
      assert.equal(failed?.status, "precondition-failed");
      assert.equal(failed?.object.etag, meta!.etag);
      const ok = await store.get("cg", { onlyIf: { uploadedBeforeMs: meta!.uploadedMs + 1000 } });
      assert.equal(ok?.status, "ok");
      if (ok?.status === "ok") await ok.body.return();
      assert.equal(await store.get("absent", { onlyIf: { etagMatches: [{ type: "wildcard" }] } }), null);
    });

    test("ranges", async () => {
      const data = "0123456789abcdefghijklmnopqrstuvwxyz";
      const large = pattern(200_000);
      await store.put(input("alpha", chunks(data)));
      await store.put(input("large", chunks(large)));
      const read = async (key: string, range: Parameters<R2Store["get"]>[1]) => {
        const got = await store.get(key, range);
        assert.ok(got?.status === "ok");
        return { range: got.range, bytes: await readAll(got.body) };
      };
      const r1 = await read("alpha", { range: { offset: 10, length: 5 } });
      assert.deepEqual([r1.range, Buffer.from(r1.bytes).toString()], [{ offset: 10, length: 5 }, "abcde"]);
      const r2 = await read("alpha", { range: { suffix: 3 } });
      assert.deepEqual([r2.range, Buffer.from(r2.bytes).toString()], [{ offset: 33, length: 3 }, "xyz"]);
      const r3 = await read("alpha", { range: { offset: 30, length: 100 } });
      assert.deepEqual(r3.range, { offset: 30, length: 6 });
      const r4 = await read("alpha", { range: { header: "bytes=-2" } });
      assert.equal(Buffer.from(r4.bytes).toString(), "yz");
      const r5 = await read("alpha", { range: { header: "bytes=0-1,4-5" } });
      assert.deepEqual(r5.range, { offset: 0, length: 36 });
      const r6 = await read("large", { range: { offset: 65_000, length: 140_000 } });
      assert.deepEqual(new Uint8Array(r6.bytes), large.subarray(65_000, 200_000));
      await failure(store.get("alpha", { range: { offset: 100, length: 2 } }), "InvalidRange");
    });

    test("delete", async () => {
      await store.put(input("d1", chunks("1")));
      await store.put(input("d2", chunks(pattern(100_000))));
      await store.delete(["d1", "d2", "never"]);
      assert.equal(await store.head("d1"), null);
      assert.equal(await store.head("d2"), null);
      await store.delete([]);
    });

    test("any key", async () => {
      const keys = ["../escape", "a/../../b", "/", "", "..", "dir/", "ünï/😀", "nul\u0000byte", "k".repeat(1024)];
      for (const key of keys) await store.put(input(key, chunks(`value of ${key.length}`)));
      for (const key of keys) assert.equal(await text(key), `value of ${key.length}`, JSON.stringify(key));
      await store.delete(keys);
    });

    test("list order and prefix", async () => {
      const keys = ["lo/b", "lo/a", "lo/！", "lo/😀", "lo/z", "lp"];
      for (const key of keys) await store.put(input(key, chunks(key), { customMetadata: { k: key } }));
      const page = await store.list({ prefix: "lo/", limit: 1000 });
      assert.deepEqual(page.objects.map((o) => o.key), ["lo/a", "lo/b", "lo/z", "lo/！", "lo/😀"]);
      assert.equal(page.cursor, undefined);
      assert.equal(page.objects[0]!.customMetadata["k"], "lo/a");
      const after = await store.list({ prefix: "lo/", startAfter: "lo/b", limit: 1000 });
      assert.deepEqual(after.objects.map((o) => o.key), ["lo/z", "lo/！", "lo/😀"]);
    });

    test("list delimiter", async () => {
      for (const key of ["dl/a.txt", "dl/docs/x", "dl/docs/y/z", "dl/img/1", "dl/img/2", "dl/z"]) await store.put(input(key, chunks(".")));
      const top = await store.list({ prefix: "dl/", delimiter: "/", limit: 1000 });
      assert.deepEqual(top.objects.map((o) => o.key), ["dl/a.txt", "dl/z"]);
      assert.deepEqual(top.delimitedPrefixes, ["dl/docs/", "dl/img/"]);
      const paged: string[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 10; i++) {
        const page = await store.list({ prefix: "dl/", delimiter: "/", limit: 1, ...(cursor !== undefined && { cursor }) });
        paged.push(...page.objects.map((o) => o.key), ...page.delimitedPrefixes);
        cursor = page.cursor;
        if (cursor === undefined) break;
      }
      assert.deepEqual(paged, ["dl/a.txt", "dl/docs/", "dl/img/", "dl/z"]);
    });

    test("list pagination", async () => {
      for (let i = 0; i < 7; i++) await store.put(input(`pg/${i}`, chunks(String(i))));
      const first = await store.list({ prefix: "pg/", limit: 3 });
      assert.deepEqual(first.objects.map((o) => o.key), ["pg/0", "pg/1", "pg/2"]);
      assert.ok(first.cursor);
      await store.put(input("pg/2a", chunks("late")));
      const second = await store.list({ prefix: "pg/", limit: 3, cursor: first.cursor });
      assert.deepEqual(second.objects.map((o) => o.key), ["pg/2a", "pg/3", "pg/4"]);
      const last = await store.list({ prefix: "pg/", limit: 3, cursor: second.cursor! });
      assert.deepEqual(last.objects.map((o) => o.key), ["pg/5", "pg/6"]);
      assert.equal(last.cursor, undefined);
      const exact = await store.list({ prefix: "pg/", limit: 8 });
      assert.equal(exact.cursor, undefined);
      await store.list({ prefix: "pg/", limit: 2, cursor: "!!not a cursor!!" });
    });

    test("failed body", async () => {
      await store.put(input("fb", chunks("kept")));
      const boom = new Error("the stream broke");
      async function* broken() {
        yield pattern(100_000);
        throw boom;
      }
      await assert.rejects(store.put(input("fb", broken())), (e) => e === boom);
      assert.equal(await text("fb"), "kept");
    });

    test("multipart", async () => {
      await store.put(input("mp", chunks("old single-part object")));
      const uploadId = await store.createMultipartUpload({ key: "mp", httpMetadata: { contentType: "x/y" }, customMetadata: { p: "1" }, storageClass: "Standard" });
      const a = pattern(MIN_PART, 1);
      const b = pattern(MIN_PART, 2);
      const p1 = await store.uploadPart({ key: "mp", uploadId, partNumber: 1, body: chunks(a) });
      const p3 = await store.uploadPart({ key: "mp", uploadId, partNumber: 3, body: chunks("tail") });
      await store.uploadPart({ key: "mp", uploadId, partNumber: 2, body: chunks("to be replaced") });
      const p2 = await store.uploadPart({ key: "mp", uploadId, partNumber: 2, body: chunks(b) });
      assert.equal(await text("mp"), "old single-part object", "invisible until complete");
      const meta = await store.completeMultipartUpload({
        key: "mp",
        uploadId,
        // Any order, as long as the smaller last part is also last here.
        parts: [
          { partNumber: 2, etag: p2.etag },
          { partNumber: 1, etag: p1.etag },
          { partNumber: 3, etag: p3.etag },
        ],
      });
      assert.equal(meta.size, 2 * MIN_PART + 4);
      assert.match(meta.etag, /^[0-9a-f]{32}-3$/);
      assert.deepEqual(meta.checksums, {});
      assert.deepEqual(meta.httpMetadata, { contentType: "x/y" });
      const whole = Buffer.concat([a, b, enc.encode("tail")]);
      const got = await store.get("mp", { range: { offset: MIN_PART - 2, length: 4 } });
      assert.ok(got?.status === "ok");
      assert.deepEqual(new Uint8Array(await readAll(got.body)), new Uint8Array(whole.subarray(MIN_PART - 2, MIN_PART + 2)));
      assert.equal(await text("mp"), whole.toString("utf8"));
      await store.abortMultipartUpload({ key: "mp", uploadId }); // no-op after completion
      assert.equal((await store.head("mp"))!.size, whole.byteLength);
      await store.put(input("mp", chunks("replaced again")));
      assert.equal(await text("mp"), "replaced again");

      const emptyId = await store.createMultipartUpload({ key: "mp-empty", httpMetadata: {}, customMetadata: {}, storageClass: "Standard" });
      const empty = await store.uploadPart({ key: "mp-empty", uploadId: emptyId, partNumber: 1, body: chunks() });
      assert.equal(empty.etag, md5(new Uint8Array(0)));
      const emptyObject = await store.completeMultipartUpload({ key: "mp-empty", uploadId: emptyId, parts: [{ partNumber: 1, etag: empty.etag }] });
      assert.equal(emptyObject.size, 0);
      assert.equal(await text("mp-empty"), "");
    });

    test("multipart failures", async () => {
      const upload = (key: string) => store.createMultipartUpload({ key, httpMetadata: {}, customMetadata: {}, storageClass: "Standard" });
      const id = await upload("mpf");
      const small1 = await store.uploadPart({ key: "mpf", uploadId: id, partNumber: 1, body: chunks("small") });
      const small2 = await store.uploadPart({ key: "mpf", uploadId: id, partNumber: 2, body: chunks("also small") });
      await failure(store.completeMultipartUpload({ key: "mpf", uploadId: id, parts: [small1, small2].map((p, i) => ({ partNumber: i + 1, etag: p.etag })) }), "EntityTooSmall");
      await failure(store.completeMultipartUpload({ key: "mpf", uploadId: id, parts: [{ partNumber: 1, etag: "bogus" }] }), "InvalidPart");
      await failure(store.completeMultipartUpload({ key: "mpf", uploadId: id, parts: [] }), "BadUpload");
      await failure(store.uploadPart({ key: "mpf", uploadId: "not-an-upload", partNumber: 1, body: chunks("x") }), "NoSuchUpload");
      await failure(store.uploadPart({ key: "other-key", uploadId: id, partNumber: 1, body: chunks("x") }), "NoSuchUpload");
      await store.abortMultipartUpload({ key: "mpf", uploadId: id });
      await store.abortMultipartUpload({ key: "mpf", uploadId: id });
      await failure(store.uploadPart({ key: "mpf", uploadId: id, partNumber: 3, body: chunks("x") }), "NoSuchUpload");
      await failure(store.completeMultipartUpload({ key: "mpf", uploadId: id, parts: [{ partNumber: 1, etag: small1.etag }] }), "NoSuchUpload");
      await failure(store.abortMultipartUpload({ key: "mpf", uploadId: "not-an-upload" }), "NoSuchUpload");
      assert.equal(await store.head("mpf"), null);
    });

    test("multipart expiry", async (t) => {
      if (!(await reopen(t))) return;
      const id = await store.createMultipartUpload({ key: "exp", httpMetadata: {}, customMetadata: {}, storageClass: "Standard" });
      await store.uploadPart({ key: "exp", uploadId: id, partNumber: 1, body: chunks("x") });
      clock.advance(R2_MULTIPART_UPLOAD_LIFETIME_MS + 1);
      store = await subject.reopen!();
      await failure(store.uploadPart({ key: "exp", uploadId: id, partNumber: 2, body: chunks("y") }), "NoSuchUpload");
    });

    test("same-key order", async () => {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      async function* slow() {
        yield enc.encode("first ");
        await gate;
        yield enc.encode("(slow)");
      }
      const first = store.put(input("order", slow()));
      const second = store.put(input("order", chunks("second")));
      const other = await store.put(input("order-other", chunks("not blocked")));
      assert.ok(other, "a write to another key does not wait");
      release();
      await Promise.all([first, second]);
      assert.equal(await text("order"), "second");
    });

    test("persistence", async (t) => {
      if (!(await reopen(t))) return;
      await store.put(input("persist", chunks(pattern(150_000))));
      store = await subject.reopen!();
      assert.equal((await store.head("persist"))!.size, 150_000);
    });

    test("second handle", async (t) => {
      if (subject.openAnother === undefined) return t.skip("the driver has no second handle");
      const other = await subject.openAnother();
      try {
        await store.put(input("shared", chunks("from one")));
        assert.equal(Buffer.from(await readAll(((await other.get("shared")) as { body: R2BodyReader }).body)).toString(), "from one");
      } finally {
        await other.close();
      }
    });

    test("close", async (t) => {
      if (!(await reopen(t))) return;
      await store.close();
      await store.close();
      await assert.rejects(store.head("x"));
      store = await subject.reopen!();
    });
  });
}
