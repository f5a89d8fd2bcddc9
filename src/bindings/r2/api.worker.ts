/**
 * `R2Bucket` as user code sees it (`env.BUCKET`): argument checks, limits and Cloudflare's errors,
 * over an `R2Store` handed in by binding.ts. This file never imports a driver or a Node module.
 *
 * Behaviour follows workerd `r2-bucket.c++` (client-side checks, result shapes: a failed `onlyIf`
 * is `null` from put and a body-less object from get; a missing key is `null` from head/get) and
 * wrangler's local simulator for the backend's answers, so a project behaves as under
 * `wrangler dev`. Values handed to user code are made with this realm's globals.
 */
import { parseConditional } from "./conditional.js";
import { r2Error, r2FailureError, type R2Operation } from "./errors.js";
import { R2_MAX_DELETE_KEYS, R2_MAX_KEY_SIZE_BYTES, R2_MAX_LIST_LIMIT_KEYS, R2_MAX_PUT_SIZE_BYTES } from "./limits.js";
import { R2MultipartUpload, type StoreCall } from "./multipart.worker.js";
import { R2Object, R2ObjectBody } from "./object.worker.js";
import { utf8Length } from "../../shared/bytes.js";
import { parseChecksumOption, parseCustomMetadata, parseHttpMetadata, toPutBody } from "./put-options.worker.js";
import { parseRangeOption } from "./range.js";
import { isR2StoreFailure, type R2Store } from "./store.js";

/** `R2Objects` of workers-types: one page of `list()`. */
export type R2Objects = { objects: R2Object[]; delimitedPrefixes: string[] } & (
  | { truncated: true; cursor: string }
  | { truncated: false }
);

/** `R2ListOptions` of workers-types. */
export interface R2ListOptions {
  limit?: number;
  prefix?: string;
  cursor?: string;
  delimiter?: string;
  startAfter?: string;
  include?: ("httpMetadata" | "customMetadata")[];
}

/** Wraps a store in the object user code sees as `env.NAME`. */
export function createR2Api(store: R2Store): R2Bucket {
  return new R2Bucket(store);
}

const DEFAULT_STORAGE_CLASS = "Standard";

export class R2Bucket {
  readonly #store: R2Store;
  readonly #call: StoreCall = async (op, fn, bodyThrew) => {
    try {
      return await fn();
    } catch (error) {
      if (bodyThrew?.(error)) throw error;
      if (isR2StoreFailure(error)) throw r2FailureError(op, error.failure);
      throw r2Error("internal", op, error);
    }
  };

  constructor(store: R2Store) {
    this.#store = store;
  }

  async head(key: string): Promise<R2Object | null> {
    const name = checkKey("head", key);
    const meta = await this.#call("head", () => this.#store.head(name));
    return meta === null ? null : new R2Object(meta, { offset: 0, length: meta.size });
  }

  async get(key: string, options?: { onlyIf?: unknown; range?: unknown }): Promise<R2ObjectBody | R2Object | null> {
    const o = options ?? {};
    const onlyIf = parseConditional(o.onlyIf);
    const range = parseRangeOption(o.range);
    const name = checkKey("get", key);
    const result = await this.#call("get", () =>
      this.#store.get(name, { ...(onlyIf !== undefined && { onlyIf }), ...(range !== undefined && { range }) }),
    );
    if (result === null) return null;
    if (result.status === "precondition-failed") return new R2Object(result.object, { offset: 0, length: result.object.size });
    return new R2ObjectBody(result.object, result.range, result.body);
  }

  async put(key: string, value: unknown, options?: Record<string, unknown>): Promise<R2Object | null> {
    const o = options ?? {};
    const put = toPutBody(value, "put", "put", "R2Bucket", true);
    try {
      const onlyIf = parseConditional(o["onlyIf"]);
      const customMetadata = parseCustomMetadata(o["customMetadata"], "put");
      const httpMetadata = parseHttpMetadata(o["httpMetadata"]);
      const expectedChecksum = parseChecksumOption(o);
      const storageClass = o["storageClass"] === undefined ? DEFAULT_STORAGE_CLASS : String(o["storageClass"]);
      const name = checkKey("put", key);
      if (put.size !== undefined && put.size > R2_MAX_PUT_SIZE_BYTES) throw r2Error("entityTooLarge", "put");
      const meta = await this.#call(
        "put",
        () =>
          this.#store.put({
            key: name,
            body: put.body,
            httpMetadata,
            customMetadata,
            storageClass,
            ...(expectedChecksum !== undefined && { expectedChecksum }),
            ...(onlyIf !== undefined && { onlyIf }),
          }),
        put.threw,
      );
      // As workerd: the result carries the metadata that was sent.
      return meta === null ? null : new R2Object({ ...meta, httpMetadata, customMetadata });
    } catch (error) {
      await put.cancel();
      throw error;
    }
  }

  async delete(keys: string | string[]): Promise<void> {
    const names = Array.isArray(keys) ? keys.map((k) => String(k)) : [String(keys)];
    if (names.length > R2_MAX_DELETE_KEYS) throw r2Error("tooManyDeleteKeys", names.length);
    for (const name of names) checkKey("delete", name);
    if (names.length === 0) return;
    await this.#call("delete", () => this.#store.delete(names));
  }

  async list(options?: R2ListOptions): Promise<R2Objects> {
    const o = options ?? {};
    const shown = { http: false, custom: false };
    if (o.include !== undefined) {
      for (const field of o.include) {
        if (field === "httpMetadata") shown.http = true;
        else if (field === "customMetadata") shown.custom = true;
        else throw r2Error("unsupportedInclude", String(field));
      }
    }
    const limit = o.limit === undefined ? R2_MAX_LIST_LIMIT_KEYS : Number(o.limit);
    if (!(limit >= 1 && limit <= R2_MAX_LIST_LIMIT_KEYS)) throw r2Error("invalidMaxKeys", "list");
    const text = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
    const prefix = text(o.prefix);
    const delimiter = text(o.delimiter);
    const startAfter = text(o.startAfter);
    const cursor = text(o.cursor);
    const page = await this.#call("list", () =>
      this.#store.list({
        limit: Math.floor(limit),
        ...(prefix !== undefined && { prefix }),
        ...(delimiter !== undefined && delimiter !== "" && { delimiter }),
        ...(startAfter !== undefined && { startAfter }),
        ...(cursor !== undefined && cursor !== "" && { cursor }),
      }),
    );
    const objects = page.objects.map((meta) => new R2Object(meta, undefined, shown));
    const base = { objects, delimitedPrefixes: page.delimitedPrefixes };
    return page.cursor === undefined ? { ...base, truncated: false } : { ...base, truncated: true, cursor: page.cursor };
  }

  async createMultipartUpload(key: string, options?: Record<string, unknown>): Promise<R2MultipartUpload> {
    const o = options ?? {};
    const customMetadata = parseCustomMetadata(o["customMetadata"], "createMultipartUpload");
    const httpMetadata = parseHttpMetadata(o["httpMetadata"]);
    const storageClass = o["storageClass"] === undefined ? DEFAULT_STORAGE_CLASS : String(o["storageClass"]);
    const name = checkKey("createMultipartUpload", key);
    const uploadId = await this.#call("createMultipartUpload", () =>
      this.#store.createMultipartUpload({ key: name, httpMetadata, customMetadata, storageClass }),
    );
    return new R2MultipartUpload(name, uploadId, this.#store, this.#call);
  }

  resumeMultipartUpload(key: string, uploadId: string): R2MultipartUpload {
    return new R2MultipartUpload(String(key), String(uploadId), this.#store, this.#call);
  }
}

/** The key as a string; over R2_MAX_KEY_SIZE_BYTES it is refused as R2 refuses it. */
function checkKey(op: R2Operation, key: unknown): string {
  const name = String(key);
  if (utf8Length(name) > R2_MAX_KEY_SIZE_BYTES) throw r2Error("invalidObjectName", op);
  return name;
}
