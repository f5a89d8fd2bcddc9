/**
 * What `put()`, `createMultipartUpload()` and `uploadPart()` receive, checked and turned into store
 * input as workerd does (`R2Bucket::put`, `HttpMetadata::fromRequestHeaders`): the value as a body
 * of byte chunks, HTTP metadata (a dictionary or a `Headers`), custom metadata, and the one
 * checksum a put may carry.
 *
 * Values are recognised by brand, not `instanceof`, so values from another realm work too. Never
 * imports Node modules.
 */
import { byteView, isArrayBuffer } from "../../shared/bytes.js";
import { isHeaders } from "./conditional.js";
import { r2Error, type R2HashName, type R2Operation } from "./errors.js";
import { R2_MAX_METADATA_SIZE_BYTES, R2_MAX_PUT_SIZE_BYTES } from "./limits.js";
import type { R2Body, R2ChecksumAlgorithm, R2HttpFields } from "./store.js";

/** A put value as the api got it, checked. */
export interface PutBody {
  /** The chunks, read lazily (a stream is read only as the store consumes it). */
  body: R2Body;
  /** Bytes, when known before reading. */
  size: number | undefined;
  /** Called when the put fails before the store reads the body: cancels a stream. */
  cancel(): Promise<void>;
  /** Whether `error` was thrown while reading the value (the user's stream, or a size limit). */
  threw(error: unknown): boolean;
}

const encoder = new TextEncoder();

/**
 * Checks a put value: a string, ArrayBuffer(View), Blob, ReadableStream of bytes, or null/undefined
 * (an empty object). A stream is read chunk by chunk and cut off past R2_MAX_PUT_SIZE_BYTES; its
 * length need not be known in advance (Hearth is more lenient than workerd here, which refuses
 * streams without a known length).
 */
export function toPutBody(value: unknown, op: R2Operation, method: string, iface: string, allowNull: boolean): PutBody {
  if ((value === null || value === undefined) && allowNull) return bytesBody(new Uint8Array(0));
  if (typeof value === "string") return bytesBody(encoder.encode(value));
  if (ArrayBuffer.isView(value)) return bytesBody(new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice());
  if (isArrayBuffer(value)) return bytesBody(new Uint8Array(value).slice());
  if (isBlob(value)) return streamBody(value.stream(), op, value.size);
  if (isReadableStream(value)) return streamBody(value, op, undefined);
  throw r2Error("badPutValue", method, iface);
}

function bytesBody(bytes: Uint8Array): PutBody {
  return {
    body: (async function* () {
      if (bytes.byteLength > 0) yield bytes;
    })(),
    size: bytes.byteLength,
    cancel: async () => undefined,
    threw: () => false,
  };
}

function streamBody(stream: ReadableStream, op: R2Operation, size: number | undefined): PutBody {
  const thrown = new Set<unknown>();
  let reader: ReadableStreamDefaultReader<unknown> | undefined;
  const chunks = (async function* () {
    reader = stream.getReader();
    let length = 0;
    let finished = false;
    try {
      for (;;) {
        let result: ReadableStreamReadResult<unknown>;
        try {
          result = await reader.read();
        } catch (error) {
          thrown.add(error);
          throw error;
        }
        if (result.done) {
          finished = true;
          return;
        }
        const value = result.value;
        let chunk: Uint8Array;
        if (ArrayBuffer.isView(value)) chunk = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
        else if (isArrayBuffer(value)) chunk = new Uint8Array(value);
        else throw remember(thrown, r2Error("streamNotBytes"));
        length += chunk.byteLength;
        if (length > R2_MAX_PUT_SIZE_BYTES) throw remember(thrown, r2Error("entityTooLarge", op));
        yield chunk;
      }
    } finally {
      if (!finished) await reader.cancel().catch(() => undefined);
    }
  })();
  // return() before the first next() must still cancel the stream, which the generator cannot see.
  const iterator: AsyncIterableIterator<Uint8Array> = {
    next: () => chunks.next(),
    return: async () => {
      if (reader === undefined) {
        reader = stream.getReader();
        await reader.cancel().catch(() => undefined);
      }
      return chunks.return(undefined);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return {
    body: iterator,
    size,
    cancel: async () => {
      await iterator.return!().catch(() => undefined);
    },
    threw: (error) => thrown.has(error),
  };
}

function remember(set: Set<unknown>, error: Error): Error {
  set.add(error);
  return error;
}

/** `httpMetadata` given as a dictionary or as request/response `Headers`. */
export function parseHttpMetadata(value: unknown): R2HttpFields {
  const out: R2HttpFields = {};
  if (value === undefined || value === null) return out;
  if (isHeaders(value)) {
    const text = (name: string) => value.get(name) ?? undefined;
    assign(out, "contentType", text("content-type"));
    assign(out, "contentEncoding", text("content-encoding"));
    assign(out, "contentDisposition", text("content-disposition"));
    assign(out, "contentLanguage", text("content-language"));
    assign(out, "cacheControl", text("cache-control"));
    const expires = value.get("expires");
    if (expires !== null) out.cacheExpiryMs = Date.parse(expires);
    return out;
  }
  const m = value as Record<string, unknown>;
  for (const field of ["contentType", "contentLanguage", "contentDisposition", "contentEncoding", "cacheControl"] as const) {
    if (m[field] !== undefined && m[field] !== null) out[field] = String(m[field]);
  }
  if (m["cacheExpiry"] !== undefined && m["cacheExpiry"] !== null) out.cacheExpiryMs = toMs(m["cacheExpiry"]);
  return out;
}

function assign(out: R2HttpFields, field: "contentType" | "contentEncoding" | "contentDisposition" | "contentLanguage" | "cacheControl", value: string | undefined): void {
  if (value !== undefined) out[field] = value;
}

function toMs(date: unknown): number {
  if (Object.prototype.toString.call(date) === "[object Date]") return (date as Date).getTime();
  return new Date(date as string | number).getTime();
}

/** `customMetadata`: a dictionary of strings, within R2_MAX_METADATA_SIZE_BYTES. */
export function parseCustomMetadata(value: unknown, op: R2Operation): Record<string, string> {
  const out: Record<string, string> = {};
  if (value === undefined || value === null) return out;
  let bytes = 0;
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    out[name] = String(v);
    bytes += encoder.encode(name).byteLength + encoder.encode(out[name]).byteLength;
  }
  if (bytes > R2_MAX_METADATA_SIZE_BYTES) throw r2Error("metadataTooLarge", op);
  return out;
}

const HASHES: { option: R2ChecksumAlgorithm; name: R2HashName; bytes: number }[] = [
  { option: "md5", name: "MD5", bytes: 16 },
  { option: "sha1", name: "SHA-1", bytes: 20 },
  { option: "sha256", name: "SHA-256", bytes: 32 },
  { option: "sha384", name: "SHA-384", bytes: 48 },
  { option: "sha512", name: "SHA-512", bytes: 64 },
];

/** The one checksum of a put (`md5` … `sha512`, hex string or bytes), as lowercase hex. */
export function parseChecksumOption(options: Record<string, unknown>): { algorithm: R2ChecksumAlgorithm; hex: string } | undefined {
  let found: { algorithm: R2ChecksumAlgorithm; hex: string } | undefined;
  for (const { option, name, bytes } of HASHES) {
    const value = options[option];
    if (value === undefined) continue;
    if (found !== undefined) throw r2Error("multipleHashes");
    const view = byteView(value);
    if (view) {
      if (view.byteLength !== bytes) throw r2Error("hashByteLength", name, bytes, view.byteLength);
      found = { algorithm: option, hex: [...view].map((b) => b.toString(16).padStart(2, "0")).join("") };
    } else {
      const hex = String(value);
      if (hex.length !== bytes * 2) throw r2Error("hashHexLength", name, bytes * 2, hex.length);
      if (!/^[0-9a-fA-F]*$/.test(hex)) throw r2Error("hashNotHex", name);
      found = { algorithm: option, hex: hex.toLowerCase() };
    }
  }
  return found;
}


function isBlob(value: unknown): value is Blob {
  return (
    (typeof Blob !== "undefined" && value instanceof Blob) ||
    ((Object.prototype.toString.call(value) === "[object Blob]" || Object.prototype.toString.call(value) === "[object File]") &&
      typeof (value as Blob).stream === "function")
  );
}

function isReadableStream(value: unknown): value is ReadableStream {
  return (
    value instanceof ReadableStream ||
    (Object.prototype.toString.call(value) === "[object ReadableStream]" && typeof (value as ReadableStream).getReader === "function")
  );
}
