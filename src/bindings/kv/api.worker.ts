/**
 * `KVNamespace` as user code sees it: the overloads of `@cloudflare/workers-types`, argument
 * validation, Cloudflare's limits and Cloudflare's exact errors. Storage is a `KvStore` handed in by
 * binding.ts; this file never imports a driver or a Node module (it runs in the Worker realm).
 *
 * Behaviour follows workerd's `kv.c++` (client-side checks, result shapes) and wrangler's local
 * simulator, miniflare (`workers/kv/*.worker.ts`, the messages of server-side failures), so that a
 * project behaves as under `wrangler dev`. Where the two layers differ in *when* a check happens, the
 * order is kept: key checks first, then option checks, then the lookup.
 *
 * Values handed to user code (Map, ArrayBuffer, ReadableStream, errors) are made with this realm's
 * globals, i.e. the isolate's own.
 */
import { concatBytes, isArrayBuffer, utf8Length } from "../../shared/bytes.js";
import type { Clock } from "../../shared/clock.js";
import {
  KV_MAX_BULK_GET_KEYS,
  KV_MAX_BULK_GET_TOTAL_BYTES,
  KV_MAX_KEY_SIZE_BYTES,
  KV_MAX_LIST_LIMIT_KEYS,
  KV_MAX_METADATA_SIZE_BYTES,
  KV_MAX_VALUE_SIZE_BYTES,
  KV_MIN_CACHE_TTL_SECONDS,
  KV_MIN_EXPIRATION_TTL_SECONDS,
} from "./limits.js";
import type { KvEntry, KvStore } from "./store.js";

// ---------------------------------------------------------------------------------------------
// Types, as declared by @cloudflare/workers-types (index.d.ts, KVNamespace and friends).
// ---------------------------------------------------------------------------------------------

export interface KVNamespaceListKey<Metadata, Key extends string = string> {
  name: Key;
  expiration?: number;
  metadata?: Metadata;
}

export type KVNamespaceListResult<Metadata, Key extends string = string> =
  | { list_complete: false; keys: KVNamespaceListKey<Metadata, Key>[]; cursor: string; cacheStatus: string | null }
  | { list_complete: true; keys: KVNamespaceListKey<Metadata, Key>[]; cacheStatus: string | null };

export interface KVNamespaceListOptions {
  limit?: number;
  prefix?: string | null;
  cursor?: string | null;
}

export interface KVNamespaceGetOptions<Type> {
  type: Type;
  cacheTtl?: number;
}

export interface KVNamespacePutOptions {
  expiration?: number;
  expirationTtl?: number;
  metadata?: any | null;
}

export interface KVNamespaceGetWithMetadataResult<Value, Metadata> {
  value: Value | null;
  metadata: Metadata | null;
  cacheStatus: string | null;
}

type WithMeta<V, M> = KVNamespaceGetWithMetadataResult<V, M>;

export interface KVNamespace<Key extends string = string> {
  get(key: Key, options?: Partial<KVNamespaceGetOptions<undefined>>): Promise<string | null>;
  get(key: Key, type: "text"): Promise<string | null>;
  get<ExpectedValue = unknown>(key: Key, type: "json"): Promise<ExpectedValue | null>;
  get(key: Key, type: "arrayBuffer"): Promise<ArrayBuffer | null>;
  get(key: Key, type: "stream"): Promise<ReadableStream | null>;
  get(key: Key, options?: KVNamespaceGetOptions<"text">): Promise<string | null>;
  get<ExpectedValue = unknown>(key: Key, options?: KVNamespaceGetOptions<"json">): Promise<ExpectedValue | null>;
  get(key: Key, options?: KVNamespaceGetOptions<"arrayBuffer">): Promise<ArrayBuffer | null>;
  get(key: Key, options?: KVNamespaceGetOptions<"stream">): Promise<ReadableStream | null>;
  get(key: Array<Key>, type: "text"): Promise<Map<string, string | null>>;
  get<ExpectedValue = unknown>(key: Array<Key>, type: "json"): Promise<Map<string, ExpectedValue | null>>;
  get(key: Array<Key>, options?: Partial<KVNamespaceGetOptions<undefined>>): Promise<Map<string, string | null>>;
  get(key: Array<Key>, options?: KVNamespaceGetOptions<"text">): Promise<Map<string, string | null>>;
  get<ExpectedValue = unknown>(
    key: Array<Key>,
    options?: KVNamespaceGetOptions<"json">,
  ): Promise<Map<string, ExpectedValue | null>>;
  list<Metadata = unknown>(options?: KVNamespaceListOptions): Promise<KVNamespaceListResult<Metadata, Key>>;
  put(
    key: Key,
    value: string | ArrayBuffer | ArrayBufferView | ReadableStream,
    options?: KVNamespacePutOptions,
  ): Promise<void>;
  getWithMetadata<Metadata = unknown>(
    key: Key,
    options?: Partial<KVNamespaceGetOptions<undefined>>,
  ): Promise<WithMeta<string, Metadata>>;
  getWithMetadata<Metadata = unknown>(key: Key, type: "text"): Promise<WithMeta<string, Metadata>>;
  getWithMetadata<ExpectedValue = unknown, Metadata = unknown>(
    key: Key,
    type: "json",
  ): Promise<WithMeta<ExpectedValue, Metadata>>;
  getWithMetadata<Metadata = unknown>(key: Key, type: "arrayBuffer"): Promise<WithMeta<ArrayBuffer, Metadata>>;
  getWithMetadata<Metadata = unknown>(key: Key, type: "stream"): Promise<WithMeta<ReadableStream, Metadata>>;
  getWithMetadata<Metadata = unknown>(
    key: Key,
    options: KVNamespaceGetOptions<"text">,
  ): Promise<WithMeta<string, Metadata>>;
  getWithMetadata<ExpectedValue = unknown, Metadata = unknown>(
    key: Key,
    options: KVNamespaceGetOptions<"json">,
  ): Promise<WithMeta<ExpectedValue, Metadata>>;
  getWithMetadata<Metadata = unknown>(
    key: Key,
    options: KVNamespaceGetOptions<"arrayBuffer">,
  ): Promise<WithMeta<ArrayBuffer, Metadata>>;
  getWithMetadata<Metadata = unknown>(
    key: Key,
    options: KVNamespaceGetOptions<"stream">,
  ): Promise<WithMeta<ReadableStream, Metadata>>;
  getWithMetadata<Metadata = unknown>(key: Array<Key>, type: "text"): Promise<Map<string, WithMeta<string, Metadata>>>;
  getWithMetadata<ExpectedValue = unknown, Metadata = unknown>(
    key: Array<Key>,
    type: "json",
  ): Promise<Map<string, WithMeta<ExpectedValue, Metadata>>>;
  getWithMetadata<Metadata = unknown>(
    key: Array<Key>,
    options?: Partial<KVNamespaceGetOptions<undefined>>,
  ): Promise<Map<string, WithMeta<string, Metadata>>>;
  getWithMetadata<Metadata = unknown>(
    key: Array<Key>,
    options?: KVNamespaceGetOptions<"text">,
  ): Promise<Map<string, WithMeta<string, Metadata>>>;
  getWithMetadata<ExpectedValue = unknown, Metadata = unknown>(
    key: Array<Key>,
    options?: KVNamespaceGetOptions<"json">,
  ): Promise<Map<string, WithMeta<ExpectedValue, Metadata>>>;
  delete(key: Key): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Errors: every error KV user code can see is made by kvError(), from this table.
// ---------------------------------------------------------------------------------------------

/** The operation word workerd puts in "KV <METHOD> failed: …" (list reports as GET). */
export type KvMethod = "GET" | "GET_BULK" | "PUT" | "DELETE";

/** A backend failure as workerd reports it: `Error: KV <METHOD> failed: <status> <statusText>`. */
function failed(method: KvMethod, status: number, statusText: string, cause?: unknown): Error {
  const message = `KV ${method} failed: ${status} ${statusText}`;
  return cause === undefined ? new Error(message) : new Error(message, { cause });
}

const KV_ERRORS = {
  // Client-side (workerd, before any I/O).
  emptyKey: () => new TypeError("Key name cannot be empty."),
  dotKey: (key: "." | "..") => new TypeError(`"${key}" is not allowed as a key name.`),
  keyTooLong: (method: KvMethod, lengthBytes: number) =>
    failed(
      method,
      414,
      `UTF-8 encoded length of ${lengthBytes} exceeds key length limit of ${KV_MAX_KEY_SIZE_BYTES}.`,
    ),
  unknownType: () =>
    new TypeError('Unknown response type. Possible types are "text", "arrayBuffer", "json", and "stream".'),
  badPutValue: () =>
    new TypeError("KV put() accepts only strings, ArrayBuffers, ArrayBufferViews, and ReadableStreams as values."),
  streamNotBytes: () => new TypeError("This ReadableStream did not return bytes."),
  // Server-side (the messages of wrangler's local simulator).
  cacheTtlTooShort: (method: KvMethod, raw: string) =>
    failed(method, 400, `Invalid cache_ttl of ${raw}. Cache TTL must be at least ${KV_MIN_CACHE_TTL_SECONDS}.`),
  expirationTtlNotPositive: (raw: string) =>
    failed("PUT", 400, `Invalid expiration_ttl of ${raw}. Please specify integer greater than 0.`),
  expirationTtlTooShort: (raw: string) =>
    failed(
      "PUT",
      400,
      `Invalid expiration_ttl of ${raw}. Expiration TTL must be at least ${KV_MIN_EXPIRATION_TTL_SECONDS}.`,
    ),
  expirationNotFuture: (raw: string) =>
    failed(
      "PUT",
      400,
      `Invalid expiration of ${raw}. Please specify integer greater than the current number of seconds since the UNIX epoch.`,
    ),
  expirationTooSoon: (raw: string) =>
    failed(
      "PUT",
      400,
      `Invalid expiration of ${raw}. Expiration times must be at least ${KV_MIN_EXPIRATION_TTL_SECONDS} seconds in the future.`,
    ),
  metadataTooLarge: (lengthBytes: number) =>
    failed("PUT", 413, `Metadata length of ${lengthBytes} exceeds limit of ${KV_MAX_METADATA_SIZE_BYTES}.`),
  valueTooLarge: (lengthBytes: number) =>
    failed("PUT", 413, `Value length of ${lengthBytes} exceeds limit of ${KV_MAX_VALUE_SIZE_BYTES}.`),
  listLimitTooLarge: (limit: number) =>
    failed(
      "GET",
      400,
      `Invalid key_count_limit of ${limit}. Please specify an integer less than ${KV_MAX_LIST_LIMIT_KEYS}.`,
    ),
  bulkBadType: (type: string) => failed("GET_BULK", 400, `"${type}" is not a valid type. Use "json" or "text"`),
  bulkTooManyKeys: () => failed("GET_BULK", 400, `You can request a maximum of ${KV_MAX_BULK_GET_KEYS} keys`),
  bulkNoKeys: () => failed("GET_BULK", 400, "You must request a minimum of 1 key"),
  bulkEmptyKey: () => failed("GET_BULK", 400, "Key names must not be empty"),
  bulkDotKey: (key: "." | "..") => failed("GET_BULK", 400, `Illegal key name "${key}". Please use a different name.`),
  bulkNotJson: () => failed("GET_BULK", 400, "At least one of the requested keys corresponds to a non-json value"),
  bulkTooLarge: () =>
    failed("GET_BULK", 413, `Total size of request exceeds the limit of ${KV_MAX_BULK_GET_TOTAL_BYTES / 1024 / 1024}MB`),
  /** The store failed (disk full, database locked too long …): what a Worker sees when KV has an outage. */
  storeFailed: (method: KvMethod, cause: unknown) => failed(method, 500, "Internal Server Error", cause),
} as const;

export type KvErrorKind = keyof typeof KV_ERRORS;

/** Makes the error user code sees for `kind`, with Cloudflare's type and wording. */
export function kvError<K extends KvErrorKind>(kind: K, ...args: Parameters<(typeof KV_ERRORS)[K]>): Error {
  return (KV_ERRORS[kind] as (...a: unknown[]) => Error)(...args);
}

// ---------------------------------------------------------------------------------------------
// The namespace object.
// ---------------------------------------------------------------------------------------------

export interface KvApiOptions {
  /** Turns `expirationTtl` into an absolute expiration and validates `expiration`. */
  clock: Clock;
}

/** Wraps a store in the object user code sees as `env.NAME`. */
export function createKvApi(store: KvStore, options: KvApiOptions): KVNamespace {
  return new KvNamespace(store, options.clock);
}

type ValueType = "text" | "json" | "arrayBuffer" | "stream";
const VALUE_TYPES: ReadonlySet<unknown> = new Set<ValueType>(["text", "json", "arrayBuffer", "stream"]);

const encoder = new TextEncoder();
// ignoreBOM: a stored BOM is part of the value and reads back as U+FEFF, as in workerd.
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });

class KvNamespace implements KVNamespace {
  readonly #store: KvStore;
  readonly #clock: Clock;

  constructor(store: KvStore, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  async get(key: any, options?: any): Promise<any> {
    if (Array.isArray(key)) return this.#getBulk(key, options, false);
    const result = await this.#getSingle(String(key), options);
    return result.value;
  }

  async getWithMetadata(key: any, options?: any): Promise<any> {
    if (Array.isArray(key)) return this.#getBulk(key, options, true);
    return this.#getSingle(String(key), options);
  }

  async put(key: any, value: any, options?: KVNamespacePutOptions): Promise<void> {
    const name = String(key);
    validateKey("PUT", name);
    const body = toPutBody(value);
    const { expiration, metadata } = this.#putOptions(options ?? {});
    let bytes: Uint8Array;
    if (body instanceof Uint8Array) bytes = body;
    else bytes = await readStreamBounded(body);
    if (bytes.byteLength > KV_MAX_VALUE_SIZE_BYTES) throw kvError("valueTooLarge", bytes.byteLength);
    const entry = { key: name, value: bytes, ...(expiration !== undefined && { expiration }), ...(metadata !== undefined && { metadata }) };
    await this.#call("PUT", () => this.#store.put(entry));
  }

  async delete(key: any): Promise<void> {
    const name = String(key);
    validateKey("DELETE", name);
    await this.#call("DELETE", () => this.#store.delete(name));
  }

  async list(options?: KVNamespaceListOptions | null): Promise<any> {
    const o = options ?? {};
    let limit = KV_MAX_LIST_LIMIT_KEYS;
    if (o.limit !== undefined && o.limit !== null) {
      // workerd sends the limit only when it is > 0; otherwise the default applies.
      const requested = Math.trunc(Number(o.limit));
      if (requested > 0) {
        if (requested > KV_MAX_LIST_LIMIT_KEYS) throw kvError("listLimitTooLarge", requested);
        limit = requested;
      }
    }
    let prefix: string | undefined;
    if (o.prefix !== undefined && o.prefix !== null) {
      prefix = String(o.prefix);
      checkKeyLength("GET", prefix);
    }
    const cursor = o.cursor === undefined || o.cursor === null || o.cursor === "" ? undefined : String(o.cursor);
    const page = await this.#call("GET", () =>
      this.#store.list({ limit, ...(prefix !== undefined && { prefix }), ...(cursor !== undefined && { cursor }) }),
    );
    const keys = page.keys.map((k) => {
      const out: KVNamespaceListKey<unknown> = { name: k.name };
      if (k.expiration !== undefined) out.expiration = k.expiration;
      if (k.metadata !== undefined) out.metadata = JSON.parse(k.metadata);
      return out;
    });
    return page.cursor === undefined
      ? { keys, list_complete: true, cacheStatus: null }
      : { keys, list_complete: false, cursor: page.cursor, cacheStatus: null };
  }

  async #getSingle(name: string, options: unknown): Promise<WithMeta<unknown, unknown>> {
    validateKey("GET", name);
    const { type, cacheTtl } = parseGetOptions(options);
    checkCacheTtl("GET", cacheTtl);
    const entry = await this.#call("GET", () => this.#store.get(name));
    // As in workerd, a missing key is null whatever the type; the type is checked on a hit.
    if (entry === null) return { value: null, metadata: null, cacheStatus: null };
    if (!VALUE_TYPES.has(type)) throw kvError("unknownType");
    return {
      value: decodeValue(entry.value, type as ValueType),
      metadata: entry.metadata === undefined ? null : JSON.parse(entry.metadata),
      cacheStatus: null,
    };
  }

  async #getBulk(keys: unknown[], options: unknown, withMetadata: boolean): Promise<Map<string, unknown>> {
    const names = keys.map((k) => String(k));
    const { type, cacheTtl } = parseGetOptions(options);
    if (type !== "" && type !== "text" && type !== "json") throw kvError("bulkBadType", String(type));
    if (names.length > KV_MAX_BULK_GET_KEYS) throw kvError("bulkTooManyKeys");
    if (names.length < 1) throw kvError("bulkNoKeys");
    for (const name of names) {
      validateBulkKey(name);
      checkCacheTtl("GET_BULK", cacheTtl);
    }
    const unique = [...new Set(names)];
    const entries = await this.#call("GET_BULK", () => this.#store.getMany(unique));
    const result = new Map<string, unknown>();
    let totalBytes = 0;
    unique.forEach((name, i) => {
      const entry: KvEntry | null = entries[i] ?? null;
      if (entry === null) {
        result.set(name, null);
        return;
      }
      totalBytes += entry.value.byteLength;
      const text = decoder.decode(entry.value);
      let value: unknown = text;
      if (type === "json") {
        try {
          value = JSON.parse(text);
        } catch {
          throw kvError("bulkNotJson");
        }
      }
      const metadata = entry.metadata === undefined ? null : JSON.parse(entry.metadata);
      result.set(name, withMetadata ? { value, metadata } : value);
    });
    if (totalBytes > KV_MAX_BULK_GET_TOTAL_BYTES) throw kvError("bulkTooLarge");
    return result;
  }

  /** Validates `expiration`/`expirationTtl`/`metadata`; `expirationTtl` wins when both are given. */
  #putOptions(options: KVNamespacePutOptions): { expiration?: number; metadata?: string } {
    // Serialised first: workerd turns metadata into JSON before sending the request.
    let metadata: string | undefined;
    if (options.metadata !== undefined && options.metadata !== null) {
      const json: string | undefined = JSON.stringify(options.metadata);
      if (json !== undefined) metadata = json;
    }
    const nowSeconds = Math.floor(this.#clock.now() / 1000);
    let expiration: number | undefined;
    if (options.expirationTtl !== undefined && options.expirationTtl !== null) {
      const raw = String(options.expirationTtl);
      const ttl = parseInt(raw, 10);
      if (Number.isNaN(ttl) || ttl <= 0) throw kvError("expirationTtlNotPositive", raw);
      if (ttl < KV_MIN_EXPIRATION_TTL_SECONDS) throw kvError("expirationTtlTooShort", raw);
      expiration = nowSeconds + ttl;
    } else if (options.expiration !== undefined && options.expiration !== null) {
      const raw = String(options.expiration);
      const at = parseInt(raw, 10);
      if (Number.isNaN(at) || at <= nowSeconds) throw kvError("expirationNotFuture", raw);
      if (at < nowSeconds + KV_MIN_EXPIRATION_TTL_SECONDS) throw kvError("expirationTooSoon", raw);
      expiration = at;
    }
    if (metadata !== undefined) {
      const length = encoder.encode(metadata).byteLength;
      if (length > KV_MAX_METADATA_SIZE_BYTES) throw kvError("metadataTooLarge", length);
    }
    return { ...(expiration !== undefined && { expiration }), ...(metadata !== undefined && { metadata }) };
  }

  /** Runs a store call; a store failure reaches user code as KV's 500, with the cause attached. */
  async #call<T>(method: KvMethod, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw kvError("storeFailed", method, e);
    }
  }
}

function validateKey(method: KvMethod, key: string): void {
  if (key === "") throw kvError("emptyKey");
  if (key === "." || key === "..") throw kvError("dotKey", key);
  checkKeyLength(method, key);
}

/** Bulk reads are checked by the backend, with its own wording. */
function validateBulkKey(key: string): void {
  if (key === "") throw kvError("bulkEmptyKey");
  if (key === "." || key === "..") throw kvError("bulkDotKey", key);
  checkKeyLength("GET_BULK", key);
}

function checkKeyLength(method: KvMethod, key: string): void {
  const length = utf8Length(key);
  if (length > KV_MAX_KEY_SIZE_BYTES) throw kvError("keyTooLong", method, length);
}

function checkCacheTtl(method: KvMethod, cacheTtl: unknown): void {
  if (cacheTtl === undefined || cacheTtl === null) return;
  const value = Number(cacheTtl);
  if (Number.isNaN(value) || value < KV_MIN_CACHE_TTL_SECONDS) throw kvError("cacheTtlTooShort", method, String(cacheTtl));
}

/** `get(key, "json")`, `get(key, { type: "json", cacheTtl })` and `get(key)` all end up here. */
function parseGetOptions(options: unknown): { type: unknown; cacheTtl?: unknown } {
  if (options === undefined || options === null) return { type: "text" };
  if (typeof options === "object") {
    const o = options as { type?: unknown; cacheTtl?: unknown };
    return { type: o.type ?? "text", cacheTtl: o.cacheTtl };
  }
  return { type: String(options) };
}

function decodeValue(bytes: Uint8Array, type: ValueType): unknown {
  switch (type) {
    case "text":
      return decoder.decode(bytes);
    case "json":
      return JSON.parse(decoder.decode(bytes));
    case "arrayBuffer":
      return ownArrayBuffer(bytes);
    case "stream":
      return byteStream(bytes);
  }
}

/** Store results are fresh copies; hand over the buffer itself when the view spans all of it. */
function ownArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && isArrayBuffer(bytes.buffer)) {
    return bytes.buffer;
  }
  return bytes.slice().buffer as ArrayBuffer;
}

/** A byte stream (BYOB readers work, as on workerd) that yields the value once. */
function byteStream(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    type: "bytes",
    start(controller) {
      if (bytes.byteLength > 0) controller.enqueue(new Uint8Array(ownArrayBuffer(bytes)));
      controller.close();
    },
  });
}

/**
 * The body of a put as bytes (a copy, so later changes by the caller do not leak in) or a stream.
 * Values are recognised by brand, not `instanceof`, so values from another realm work too.
 * Like workerd, primitives are converted to strings; other objects are refused.
 */
function toPutBody(value: unknown): Uint8Array | ReadableStream {
  if (typeof value === "string") return encoder.encode(value);
  if (typeof value !== "object" && typeof value !== "function") return encoder.encode(String(value));
  if (value === null) return encoder.encode("null");
  if (ArrayBuffer.isView(value)) {
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice();
  }
  if (isArrayBuffer(value)) return new Uint8Array(value).slice();
  if (isReadableStream(value)) return value;
  throw kvError("badPutValue");
}

/**
 * Reads a put's stream. Past the value limit the bytes are counted but no longer kept, so the
 * error can name the full length, as Cloudflare's does.
 */
async function readStreamBounded(stream: ReadableStream): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    let chunk: Uint8Array;
    if (ArrayBuffer.isView(value)) chunk = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    else if (isArrayBuffer(value)) chunk = new Uint8Array(value);
    else {
      await reader.cancel().catch(() => undefined);
      throw kvError("streamNotBytes");
    }
    length += chunk.byteLength;
    if (length <= KV_MAX_VALUE_SIZE_BYTES) chunks.push(chunk.slice());
  }
  if (length > KV_MAX_VALUE_SIZE_BYTES) throw kvError("valueTooLarge", length);
  return concatBytes(chunks, length);
}

function isReadableStream(value: unknown): value is ReadableStream {
  return (
    value instanceof ReadableStream ||
    (Object.prototype.toString.call(value) === "[object ReadableStream]" &&
      typeof (value as { getReader?: unknown }).getReader === "function")
  );
}

