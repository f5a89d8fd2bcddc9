/**
 * The storage interface behind `R2Bucket`: what an R2 driver must do, and nothing more.
 *
 * The api (api.worker.ts) validates every argument, enforces the client-side limits and makes the
 * errors user code sees; a store stores, evaluates conditions and ranges against what it holds
 * (so a check and the write it guards are one atomic step), verifies checksums and validates
 * multipart completions. Drivers live in ./drivers/ and each one runs ./store.case.ts.
 *
 * Contract (every driver, every method):
 *
 * - **Plain data in and out**, except object bodies. Arguments and results are structured-cloneable
 *   (strings, numbers, plain objects and arrays); bodies are async iterables of `Uint8Array` chunks,
 *   so no object is ever held whole in memory on either side.
 * - **Keys** are JS strings, compared and ordered by their UTF-8 bytes (R2's list order). The api
 *   has already rejected keys over R2_MAX_KEY_SIZE_BYTES. A key is only ever data: it never becomes
 *   part of a file name.
 * - **Put bodies** are consumed exactly once. If iterating the body throws, the put fails with that
 *   error and nothing changes. A store never keeps a chunk after the promise settles.
 * - **Writes are atomic and durable.** When `put`, `delete`, `completeMultipartUpload` resolve, the
 *   change is visible to every later call (from any handle on the same data) and survives a crash of
 *   the process or the machine. A put replaces the body and all metadata together; a failed or
 *   interrupted put leaves the previous object exactly as it was. Writes on one handle commit in
 *   call order.
 * - **Conditions** (`onlyIf`) are evaluated with `conditionHolds` (conditional.ts) against the
 *   object as it is at commit time. A failed condition is a result (`null` from put, a
 *   `precondition-failed` result from get), not an error.
 * - **Failures** R2 reports with a code (bad digest, unknown upload, invalid parts …) are thrown as
 *   `R2StoreFailure`, whose `failure` is plain data; the api turns it into Cloudflare's error. Any
 *   other thrown error means the storage itself failed.
 * - **Multipart**: an object is visible only after `completeMultipartUpload`; uploads and parts
 *   are invisible to head/get/list. An incomplete upload expires R2_MULTIPART_UPLOAD_LIFETIME_MS
 *   after it was created. Replacing or deleting an object never touches in-progress uploads.
 * - **Cursors** are opaque strings; listing with one resumes after the last entry of the previous
 *   page (a delimited prefix counts as an entry and is never repeated). An unparseable cursor never
 *   throws. Cursors hold no server state.
 */

/** The HTTP metadata R2 keeps with an object (`R2HTTPMetadata`, with the date as milliseconds). */
export interface R2HttpFields {
  contentType?: string;
  contentLanguage?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  cacheControl?: string;
  /** `cacheExpiry`, milliseconds since the UNIX epoch. */
  cacheExpiryMs?: number;
}

/** The checksum algorithms R2 knows, by their option names. */
export type R2ChecksumAlgorithm = "md5" | "sha1" | "sha256" | "sha384" | "sha512";

/** Checksums as lowercase hex strings, present only where known. */
export type R2ChecksumsHex = Partial<Record<R2ChecksumAlgorithm, string>>;

/** Everything R2 knows about an object except its body. */
export interface R2ObjectMeta {
  key: string;
  /** Random per write: a new version on every put or completed upload. */
  version: string;
  /** Bytes. */
  size: number;
  /** Unquoted: hex MD5 of the body, or `<hex md5 of the parts' md5s>-<part count>` for multipart. */
  etag: string;
  /** When the write committed, milliseconds since the UNIX epoch. */
  uploadedMs: number;
  httpMetadata: R2HttpFields;
  customMetadata: Record<string, string>;
  /** md5 for single-part objects; sha* only when given on put; none for multipart objects. */
  checksums: R2ChecksumsHex;
  storageClass: string;
}

/** One entity tag of a condition. */
export type R2Etag = { type: "strong" | "weak"; value: string } | { type: "wildcard" };

/** An `onlyIf`, parsed (conditional.ts). Absent fields do not constrain. */
export interface R2Condition {
  etagMatches?: R2Etag[];
  etagDoesNotMatch?: R2Etag[];
  /** Milliseconds since the UNIX epoch. */
  uploadedBeforeMs?: number;
  /** Milliseconds since the UNIX epoch. */
  uploadedAfterMs?: number;
  /** Compare upload times at one-second resolution. */
  secondsGranularity?: boolean;
}

/** A range to read, as the user asked for it (range.ts resolves it against the object's size). */
export type R2RangeRequest = { offset?: number; length?: number; suffix?: number } | { header: string };

/** The bytes actually returned. */
export interface R2ByteRange {
  offset: number;
  length: number;
}

/** Chunks of an object body. */
export type R2Body = AsyncIterable<Uint8Array>;

/**
 * A body being read: pull chunks with `next()`; `return()` stops early and releases the files.
 * Chunks are fresh `Uint8Array`s the caller may keep.
 */
export type R2BodyReader = AsyncIterator<Uint8Array, undefined, undefined> & {
  return(): Promise<IteratorResult<Uint8Array, undefined>>;
};

export interface R2PutInput {
  key: string;
  body: R2Body;
  httpMetadata: R2HttpFields;
  customMetadata: Record<string, string>;
  storageClass: string;
  /** A checksum the body must have; a mismatch fails with `BadDigest` and stores nothing. */
  expectedChecksum?: { algorithm: R2ChecksumAlgorithm; hex: string };
  onlyIf?: R2Condition;
}

export interface R2GetOptions {
  onlyIf?: R2Condition;
  range?: R2RangeRequest;
}

export type R2GetResult =
  | { status: "precondition-failed"; object: R2ObjectMeta }
  | { status: "ok"; object: R2ObjectMeta; range: R2ByteRange; body: R2BodyReader };

export interface R2ListQuery {
  /** Only keys starting with this (compared as UTF-8 bytes). */
  prefix?: string;
  /** Group keys that contain this after the prefix into `delimitedPrefixes`. */
  delimiter?: string;
  /** Only keys after this one. */
  startAfter?: string;
  /** From a previous page. */
  cursor?: string;
  /** Most entries (objects plus delimited prefixes) on the page, 1…R2_MAX_LIST_LIMIT_KEYS. */
  limit: number;
}

export interface R2ListPage {
  /** Objects in UTF-8 byte order of their keys. */
  objects: R2ObjectMeta[];
  /** Each ends with the delimiter; in byte order. */
  delimitedPrefixes: string[];
  /** Present iff more entries may follow. */
  cursor?: string;
}

export interface R2MultipartInput {
  key: string;
  httpMetadata: R2HttpFields;
  customMetadata: Record<string, string>;
  storageClass: string;
}

export interface R2UploadPartInput {
  key: string;
  uploadId: string;
  /** 1…R2_MAX_MULTIPART_PARTS; uploading a number again replaces that part. */
  partNumber: number;
  body: R2Body;
}

export interface R2PartRef {
  partNumber: number;
  etag: string;
}

/** What R2 reports with an error code; see errors.ts for the messages. */
export type R2Failure =
  | { code: "NoSuchKey" }
  | { code: "NoSuchUpload" }
  | { code: "InvalidPart" }
  | { code: "EntityTooSmall" }
  | { code: "EntityTooLarge" }
  | { code: "BadUpload" }
  | { code: "InvalidRange" }
  | { code: "Internal" }
  | {
      code: "BadDigest";
      algorithm: "MD5" | "SHA-1" | "SHA-256" | "SHA-384" | "SHA-512";
      providedHex: string;
      actualHex: string;
    };

/** Thrown by a store for an R2 failure; recognised by `isR2StoreFailure`, not `instanceof`. */
export class R2StoreFailure extends Error {
  override readonly name = "R2StoreFailure";
  readonly failure: R2Failure;

  constructor(failure: R2Failure) {
    super(`R2 store failure: ${failure.code}`);
    this.failure = failure;
  }
}

export function isR2StoreFailure(value: unknown): value is R2StoreFailure {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { name?: unknown }).name === "R2StoreFailure" &&
    typeof (value as { failure?: { code?: unknown } }).failure?.code === "string"
  );
}

export interface R2Store {
  /** The object's metadata, or null when there is none. */
  head(key: string): Promise<R2ObjectMeta | null>;
  /**
   * The object and its body (the requested range of it), or null when there is none. A failed
   * `onlyIf` gives the metadata without a body. Checks, in order: existence, condition, range (an
   * unsatisfiable range fails with `InvalidRange`).
   */
  get(key: string, options?: R2GetOptions): Promise<R2GetResult | null>;
  /** Writes the object and returns its metadata; null (nothing written) when `onlyIf` fails. */
  put(input: R2PutInput): Promise<R2ObjectMeta | null>;
  /** Removes these objects, in one atomic step; absent keys are fine. */
  delete(keys: readonly string[]): Promise<void>;
  list(query: R2ListQuery): Promise<R2ListPage>;
  /** Starts an upload for `key`; returns its id. */
  createMultipartUpload(input: R2MultipartInput): Promise<string>;
  /** Stores one part; returns its etag. `NoSuchUpload` unless the upload is in progress for `key`. */
  uploadPart(input: R2UploadPartInput): Promise<{ etag: string }>;
  /**
   * Assembles the named parts (in part-number order) into the object `key`, replacing any object
   * there, and ends the upload. Failures: `NoSuchUpload` (unknown, aborted or completed upload),
   * `InvalidPart` (a part missing or with another etag), `EntityTooSmall` / `BadUpload` (part
   * sizes: every part but the last at least the minimum and all the same size, the last no larger),
   * `EntityTooLarge` (over R2_MAX_OBJECT_SIZE_BYTES), `BadUpload` (no parts, or a part named twice).
   */
  completeMultipartUpload(input: { key: string; uploadId: string; parts: readonly R2PartRef[] }): Promise<R2ObjectMeta>;
  /** Ends the upload and drops its parts; a no-op for a completed or aborted one. `NoSuchUpload` if unknown. */
  abortMultipartUpload(input: { key: string; uploadId: string }): Promise<void>;
  /** Releases files and handles. Every other method rejects after this; closing twice is fine. */
  close(): Promise<void>;
}
