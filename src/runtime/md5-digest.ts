/**
 * `crypto.subtle.digest("MD5", data)`: Workers accepts MD5 in `digest()` (a non-standard
 * extension, https://developers.cloudflare.com/workers/runtime-apis/web-crypto/#supported-algorithms),
 * Node's Web Crypto does not. Code that checks R2 etags or `put({ md5 })` values relies on it.
 * Runs inside the isolate thread; every other algorithm goes to Node's own `digest`.
 */
import { createHash } from "node:crypto";

export function installMd5Digest(subtle: SubtleCrypto): void {
  const digest = subtle.digest.bind(subtle);
  Object.defineProperty(subtle, "digest", {
    value: function digestWithMd5(algorithm: AlgorithmIdentifier, data: BufferSource): Promise<ArrayBuffer> {
      const name = typeof algorithm === "string" ? algorithm : (algorithm as { name?: unknown } | null)?.name;
      if (typeof name !== "string" || name.toUpperCase() !== "MD5") return digest(algorithm, data);
      if (!ArrayBuffer.isView(data) && Object.prototype.toString.call(data) !== "[object ArrayBuffer]") {
        return Promise.reject(new TypeError("Failed to execute 'digest' on 'SubtleCrypto': parameter 2 is not of type 'ArrayBuffer or ArrayBufferView'."));
      }
      const view = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
      const out = new Uint8Array(16);
      out.set(createHash("md5").update(view).digest());
      return Promise.resolve(out.buffer);
    },
    writable: true,
    configurable: true,
    enumerable: false,
  });
}
