import assert from "node:assert/strict";
import { webcrypto } from "node:crypto";
import { it } from "node:test";
import { installMd5Digest } from "./md5-digest.js";

it("crypto.subtle.digest accepts MD5 as Workers does, and still every standard algorithm", async () => {
  const subtle = Object.create(webcrypto.subtle) as SubtleCrypto;
  Object.defineProperty(subtle, "digest", { value: webcrypto.subtle.digest.bind(webcrypto.subtle), writable: true, configurable: true });
  installMd5Digest(subtle);
  const hex = (b: ArrayBuffer) => Buffer.from(b).toString("hex");
  const fox = new TextEncoder().encode("The quick brown fox jumps over the lazy dog");
  assert.equal(hex(await subtle.digest("MD5", fox)), "9e107d9d372bb6826bd81d3542a419d6");
  assert.equal(hex(await subtle.digest({ name: "md5" }, fox.buffer)), "9e107d9d372bb6826bd81d3542a419d6");
  assert.equal(hex(await subtle.digest("SHA-1", fox)), "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12");
  await assert.rejects(subtle.digest("MD5", "text" as unknown as BufferSource), TypeError);
});
