import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fixedClock } from "../../shared/clock.js";
import { createR2Api, type R2Bucket } from "./api.worker.js";
import { openSqliteR2Store } from "./drivers/sqlite.js";
import type { R2Object, R2ObjectBody } from "./object.worker.js";
import type { R2Store } from "./store.js";

const NOW_MS = 1_700_000_000_000;
const FOX = "The quick brown fox jumps over the lazy dog";
const FOX_MD5 = "9e107d9d372bb6826bd81d3542a419d6";
const FOX_SHA1 = "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12";

let dir: string;
let store: R2Store;
let bucket: R2Bucket;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-r2-api-"));
  store = openSqliteR2Store(dir, { clock: fixedClock(NOW_MS), minPartSizeBytes: 5 });
  bucket = createR2Api(store);
});
after(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function message(promise: Promise<unknown> | (() => unknown)): Promise<{ name: string; message: string }> {
  try {
    await (typeof promise === "function" ? promise() : promise);
  } catch (e) {
    return { name: (e as Error).constructor.name, message: (e as Error).message };
  }
  throw new Error("expected a rejection");
}

function stream(...parts: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(new TextEncoder().encode(part));
      controller.close();
    },
  });
}

describe("R2Bucket objects", () => {
  it("put returns an R2Object without a body; get an R2ObjectBody; head and get null when missing", async () => {
    assert.equal(await bucket.head("missing"), null);
    assert.equal(await bucket.get("missing"), null);
    const put = (await bucket.put("hello.txt", "hello world"))!;
    assert.equal(put.etag, "5eb63bbbe01eeed093cb22bb8f5acdc3");
    assert.equal(put.httpEtag, '"5eb63bbbe01eeed093cb22bb8f5acdc3"');
    assert.equal(put.size, 11);
    assert.equal(put.uploaded.getTime(), NOW_MS);
    assert.equal(put.storageClass, "Standard");
    assert.equal("body" in put, false);
    assert.equal(put.range, undefined);
    const head = (await bucket.head("hello.txt"))!;
    assert.equal("body" in head, false);
    assert.deepEqual(head.range, { offset: 0, length: 11 });
    const got = (await bucket.get("hello.txt")) as R2ObjectBody;
    assert.equal("body" in got, true);
    assert.equal(got.bodyUsed, false);
    assert.equal(await got.text(), "hello world");
    assert.equal(got.bodyUsed, true);
    assert.deepEqual(await message(got.text()), {
      name: "TypeError",
      message: "Body has already been used. It can only be used once. Use tee() first if you need to read it twice.",
    });
    assert.deepEqual(JSON.parse(JSON.stringify(head)).key, "hello.txt");
  });

  it("reads bodies as arrayBuffer, bytes, json, blob and a byte stream", async () => {
    await bucket.put("doc.json", '{"a":[1,2]}', { httpMetadata: { contentType: "application/json" } });
    const ab = await ((await bucket.get("doc.json")) as R2ObjectBody).arrayBuffer();
    assert.equal(Object.prototype.toString.call(ab), "[object ArrayBuffer]");
    assert.equal(ab.byteLength, 11);
    assert.equal((await ((await bucket.get("doc.json")) as R2ObjectBody).bytes()).byteLength, 11);
    assert.deepEqual(await ((await bucket.get("doc.json")) as R2ObjectBody).json(), { a: [1, 2] });
    const blob = await ((await bucket.get("doc.json")) as R2ObjectBody).blob();
    assert.equal(blob.type, "application/json");
    assert.equal(await blob.text(), '{"a":[1,2]}');
    const body = ((await bucket.get("doc.json")) as R2ObjectBody).body;
    const reader = body.getReader({ mode: "byob" });
    const { value } = await reader.read(new Uint8Array(4));
    assert.equal(new TextDecoder().decode(value), '{"a"');
  });

  it("accepts string, ArrayBuffer(View), Blob, ReadableStream and null values", async () => {
    const values: [unknown, string][] = [
      ["str", "str"],
      [new Uint8Array([104, 105]), "hi"],
      [new TextEncoder().encode("ab").buffer, "ab"],
      [new DataView(new TextEncoder().encode("xyz").buffer, 1, 2), "yz"],
      [new Blob(["blob!"]), "blob!"],
      [stream("stre", "amed"), "streamed"],
      [null, ""],
    ];
    for (const [i, [value, text]] of values.entries()) {
      await bucket.put(`vt/${i}`, value);
      assert.equal(await ((await bucket.get(`vt/${i}`)) as R2ObjectBody).text(), text);
    }
    assert.deepEqual(await message(bucket.put("vt/bad", 42)), {
      name: "TypeError",
      message:
        "Failed to execute 'put' on 'R2Bucket': parameter 2 is not of type 'ReadableStream or ArrayBuffer or ArrayBufferView or string or Blob'.",
    });
    const notBytes = new ReadableStream({ start: (c) => (c.enqueue("text"), c.close()) });
    assert.deepEqual(await message(bucket.put("vt/bad", notBytes)), { name: "TypeError", message: "This ReadableStream did not return bytes." });
  });

  it("keeps and writes HTTP metadata, given as a dictionary or as Headers", async () => {
    const put = (await bucket.put("img.png", new Uint8Array([1]), {
      httpMetadata: { contentType: "image/png", cacheControl: "public", cacheExpiry: new Date("2030-01-02T03:04:05Z") },
      customMetadata: { owner: "alice" },
    }))!;
    assert.deepEqual(put.customMetadata, { owner: "alice" });
    const head = (await bucket.head("img.png"))!;
    assert.equal(head.httpMetadata.cacheExpiry?.toISOString(), "2030-01-02T03:04:05.000Z");
    const headers = new Headers();
    head.writeHttpMetadata(headers);
    assert.deepEqual([...headers], [
      ["cache-control", "public"],
      ["content-type", "image/png"],
      ["expires", "Wed, 02 Jan 2030 03:04:05 GMT"],
    ]);
    await bucket.put("data.csv", "a", { httpMetadata: new Headers({ "content-type": "text/csv", "x-other": "1", expires: "Wed, 02 Jan 2030 03:04:05 GMT" }) });
    assert.deepEqual((await bucket.head("data.csv"))!.httpMetadata, { contentType: "text/csv", cacheExpiry: new Date("2030-01-02T03:04:05Z") });
  });

  it("refuses over-long keys and metadata with R2's errors", async () => {
    assert.deepEqual(await message(bucket.put("k".repeat(1025), "x")), { name: "Error", message: "put: The specified object name is not valid. (10020)" });
    assert.deepEqual(await message(bucket.head("é".repeat(513))), { name: "Error", message: "head: The specified object name is not valid. (10020)" });
    assert.ok(await bucket.put("k".repeat(1024), "x"));
    assert.deepEqual(await message(bucket.put("meta", "x", { customMetadata: { big: "v".repeat(8190) } })), {
      name: "Error",
      message: "put: Your metadata headers exceed the maximum allowed metadata size. (10012)",
    });
  });
});

describe("R2Bucket checksums", () => {
  it("verifies md5 and sha checksums given as hex or bytes", async () => {
    const md5 = (await bucket.put("fox", FOX, { md5: FOX_MD5 }))!;
    assert.deepEqual(md5.checksums.toJSON(), { md5: FOX_MD5 });
    const md5Bytes = createHash("md5").update(FOX).digest();
    assert.ok(await bucket.put("fox", FOX, { md5: md5Bytes.buffer.slice(md5Bytes.byteOffset, md5Bytes.byteOffset + 16) }));
    const sha1 = (await bucket.put("fox", FOX, { sha1: FOX_SHA1 }))!;
    assert.deepEqual(sha1.checksums.toJSON(), { md5: FOX_MD5, sha1: FOX_SHA1 });
    assert.equal(sha1.checksums.sha1!.byteLength, 20);
    assert.deepEqual(await message(bucket.put("fox-bad", FOX, { md5: "0".repeat(32) })), {
      name: "Error",
      message: `put: The MD5 checksum you specified did not match what we received.\nYou provided a MD5 checksum with value: ${"0".repeat(32)}\nActual MD5 was: ${FOX_MD5} (10037)`,
    });
    assert.equal(await bucket.head("fox-bad"), null);
  });

  it("checks checksum options before any I/O", async () => {
    assert.deepEqual(await message(bucket.put("x", FOX, { md5: FOX_MD5, sha1: FOX_SHA1 })), { name: "TypeError", message: "You cannot specify multiple hashing algorithms." });
    assert.deepEqual(await message(bucket.put("x", FOX, { md5: "abc" })), { name: "TypeError", message: "MD5 is 32 hex characters, not 3" });
    assert.deepEqual(await message(bucket.put("x", FOX, { sha256: new Uint8Array(3) })), { name: "TypeError", message: "SHA-256 is 32 bytes, not 3" });
    assert.deepEqual(await message(bucket.put("x", FOX, { sha1: "z".repeat(40) })), { name: "TypeError", message: "Provided SHA-1 wasn't a valid hex string" });
  });
});

describe("R2Bucket conditions and ranges", () => {
  it("gives null from a failed conditional put and a body-less object from a failed get", async () => {
    const v1 = (await bucket.put("cond", "version one"))!;
    assert.equal(await bucket.put("cond", "x", { onlyIf: { etagMatches: "deadbeef" } }), null);
    assert.equal(await bucket.put("cond", "x", { onlyIf: new Headers({ "if-none-match": "*" }) }), null);
    const failed = (await bucket.get("cond", { onlyIf: { etagDoesNotMatch: v1.etag } })) as R2Object;
    assert.equal("body" in failed, false);
    assert.equal(failed.etag, v1.etag);
    assert.ok("body" in (await bucket.get("cond", { onlyIf: new Headers({ "if-match": `W/"x", ${v1.httpEtag}` }) }))!);
    assert.deepEqual(await message(bucket.get("cond", { onlyIf: { etagMatches: v1.httpEtag } })), {
      name: "TypeError",
      message: `Conditional ETag should not be wrapped in quotes (${v1.httpEtag}).`,
    });
  });

  it("checks ranges before any I/O and reports an unsatisfiable one", async () => {
    await bucket.put("alpha", "0123456789abcdefghijklmnopqrstuvwxyz");
    const read = async (range: unknown) => {
      const o = (await bucket.get("alpha", { range })) as R2ObjectBody;
      return [await o.text(), o.range];
    };
    assert.deepEqual(await read({ offset: 10, length: 5 }), ["abcde", { offset: 10, length: 5 }]);
    assert.deepEqual(await read({ suffix: 3 }), ["xyz", { offset: 33, length: 3 }]);
    assert.deepEqual(await read(new Headers({ range: "bytes=32-" })), ["wxyz", { offset: 32, length: 4 }]);
    assert.deepEqual(await read(new Headers()), ["0123456789abcdefghijklmnopqrstuvwxyz", { offset: 0, length: 36 }]);
    assert.deepEqual(await message(bucket.get("alpha", { range: { offset: -1 } })), {
      name: "RangeError",
      message: "Invalid range. Starting offset (-1) must be greater than or equal to 0.",
    });
    assert.deepEqual(await message(bucket.get("alpha", { range: { length: 1.5 } })), {
      name: "RangeError",
      message: "Invalid range. Length (1.5) must be an integer, not floating point.",
    });
    assert.deepEqual(await message(bucket.get("alpha", { range: { suffix: 1, offset: 0 } })), { name: "TypeError", message: "Suffix is incompatible with offset." });
    assert.deepEqual(await message(bucket.get("alpha", { range: { offset: 100 } })), { name: "Error", message: "get: The requested range is not satisfiable (10039)" });
  });
});

describe("R2Bucket delete and list", () => {
  it("deletes one key or many and refuses more than 1000", async () => {
    await bucket.put("del/a", "a");
    await bucket.put("del/b", "b");
    assert.equal(await bucket.delete("del/a"), undefined);
    assert.equal(await bucket.delete(["del/b", "del/never"]), undefined);
    assert.equal((await bucket.list({ prefix: "del/" })).objects.length, 0);
    assert.deepEqual(await message(bucket.delete(Array.from({ length: 1001 }, (_, i) => `k${i}`))), {
      name: "Error",
      message: "delete: You can delete at most 1000 keys in one call, not 1001. (10029)",
    });
  });

  it("lists with include, limit checks and a cursor only when truncated", async () => {
    for (const key of ["ls/a", "ls/b", "ls/c"]) await bucket.put(key, key, { httpMetadata: { contentType: "text/plain" }, customMetadata: { k: key } });
    const plain = await bucket.list({ prefix: "ls/" });
    assert.equal(plain.truncated, false);
    assert.equal("cursor" in plain, false);
    assert.deepEqual(plain.objects[0]!.httpMetadata, {});
    assert.deepEqual(plain.objects[0]!.customMetadata, {});
    assert.equal(plain.objects[0]!.range, undefined);
    const page = await bucket.list({ prefix: "ls/", limit: 2, include: ["customMetadata"] });
    assert.equal(page.truncated, true);
    assert.ok(page.truncated && page.cursor.length > 0);
    assert.deepEqual(page.objects.map((o) => o.customMetadata), [{ k: "ls/a" }, { k: "ls/b" }]);
    assert.deepEqual(page.objects[0]!.httpMetadata, {});
    assert.deepEqual(await message(bucket.list({ limit: 0 })), { name: "Error", message: "list: MaxKeys params must be positive integer <= 1000. (10022)" });
    assert.deepEqual(await message(bucket.list({ include: ["nope" as "httpMetadata"] })), { name: "RangeError", message: "Unsupported include value nope" });
  });
});

describe("R2Bucket multipart uploads", () => {
  it("uploads, completes with R2's etag, and reports unknown uploads", async () => {
    const upload = await bucket.createMultipartUpload("mp", { customMetadata: { purpose: "mpu" } });
    const p1 = await upload.uploadPart(1, "aaaaa");
    const p2 = await upload.uploadPart(2, new Blob(["bb"]));
    assert.deepEqual(p1.partNumber, 1);
    const obj = await upload.complete([p1, p2]);
    assert.match(obj.etag, /-2$/);
    assert.deepEqual(obj.customMetadata, { purpose: "mpu" });
    assert.equal(await ((await bucket.get("mp")) as R2ObjectBody).text(), "aaaaabb");
    const bogus = bucket.resumeMultipartUpload("mp", "not-an-upload");
    assert.deepEqual(await message(bogus.uploadPart(1, "x")), { name: "Error", message: "uploadPart: The specified multipart upload does not exist. (10024)" });
    assert.deepEqual(await message(bogus.complete([])), {
      name: "Error",
      message: "completeMultipartUpload: The specified multipart upload does not exist. (10024)",
    });
    assert.deepEqual(await message(() => upload.uploadPart(0, "x")), {
      name: "TypeError",
      message: "Part number must be between 1 and 10000 (inclusive). Actual value was: 0",
    });
    assert.deepEqual(await message(() => upload.uploadPart(1, null)), {
      name: "TypeError",
      message:
        "Failed to execute 'uploadPart' on 'R2MultipartUpload': parameter 2 is not of type 'ReadableStream or ArrayBuffer or ArrayBufferView or string or Blob'.",
    });
  });

  it("aborts: the object never appears and later calls fail", async () => {
    const upload = await bucket.createMultipartUpload("aborted");
    await upload.uploadPart(1, "xxxxx");
    assert.equal(await upload.abort(), undefined);
    assert.equal(await bucket.head("aborted"), null);
    assert.deepEqual(await message(upload.uploadPart(2, "more")), { name: "Error", message: "uploadPart: The specified multipart upload does not exist. (10024)" });
  });
});

describe("R2Bucket streams", () => {
  it("cancels the value stream when a put fails before reading it", async () => {
    let cancelled = false;
    const value = new ReadableStream({ cancel: () => void (cancelled = true) });
    await assert.rejects(bucket.put("x", value, { md5: "short" }));
    assert.equal(cancelled, true);
  });

  it("cancels the value stream when a conditional put does not hold", async () => {
    await bucket.put("exists", "v");
    let cancelled = false;
    const value = new ReadableStream({ cancel: () => void (cancelled = true) });
    assert.equal(await bucket.put("exists", value, { onlyIf: { etagDoesNotMatch: "*" } }), null);
    assert.equal(cancelled, true);
  });

  it("passes a failing stream's own error through", async () => {
    const boom = new Error("client went away");
    const value = new ReadableStream({ pull: (c) => c.error(boom) });
    await assert.rejects(bucket.put("broken", value), (e) => e === boom);
    assert.equal(await bucket.head("broken"), null);
  });
});
