/**
 * The objects user code gets from an R2 bucket: `R2Object` (metadata) and `R2ObjectBody` (metadata
 * plus a body read once), as workerd's `HeadResult` / `GetResult` (`r2-bucket.h`, `r2-bucket.c++`):
 * metadata fields are own properties, `body` and `bodyUsed` live on the prototype (so
 * `"body" in object` tells them apart), and `checksums` is an `R2Checksums` whose `toJSON()`
 * gives hex strings.
 *
 * Made from store data (store.ts) with this realm's globals. Never imports Node modules.
 */
import { r2Error } from "./errors.js";
import type { R2BodyReader, R2ByteRange, R2ChecksumsHex, R2HttpFields, R2ObjectMeta } from "./store.js";

/** `R2HTTPMetadata` of workers-types. */
export interface R2HTTPMetadata {
  contentType?: string;
  contentLanguage?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  cacheControl?: string;
  cacheExpiry?: Date;
}

/** `R2StringChecksums` of workers-types. */
export interface R2StringChecksums {
  md5?: string;
  sha1?: string;
  sha256?: string;
  sha384?: string;
  sha512?: string;
}

export class R2Checksums {
  readonly md5?: ArrayBuffer;
  readonly sha1?: ArrayBuffer;
  readonly sha256?: ArrayBuffer;
  readonly sha384?: ArrayBuffer;
  readonly sha512?: ArrayBuffer;

  constructor(hex: R2ChecksumsHex) {
    if (hex.md5 !== undefined) this.md5 = fromHex(hex.md5);
    if (hex.sha1 !== undefined) this.sha1 = fromHex(hex.sha1);
    if (hex.sha256 !== undefined) this.sha256 = fromHex(hex.sha256);
    if (hex.sha384 !== undefined) this.sha384 = fromHex(hex.sha384);
    if (hex.sha512 !== undefined) this.sha512 = fromHex(hex.sha512);
  }

  toJSON(): R2StringChecksums {
    const out: R2StringChecksums = {};
    for (const name of ["md5", "sha1", "sha256", "sha384", "sha512"] as const) {
      const value = this[name];
      if (value !== undefined) out[name] = toHex(value);
    }
    return out;
  }
}

/** Which metadata a list entry carries (the rest reads as empty objects, as under `wrangler dev`). */
export interface MetadataShown {
  http: boolean;
  custom: boolean;
}

const SHOW_ALL: MetadataShown = { http: true, custom: true };

export class R2Object {
  readonly key: string;
  readonly version: string;
  readonly size: number;
  readonly etag: string;
  readonly httpEtag: string;
  readonly uploaded: Date;
  readonly httpMetadata: R2HTTPMetadata;
  readonly customMetadata: Record<string, string>;
  readonly range: R2ByteRange | undefined;
  readonly checksums: R2Checksums;
  readonly storageClass: string;

  constructor(meta: R2ObjectMeta, range?: R2ByteRange, shown: MetadataShown = SHOW_ALL) {
    this.key = meta.key;
    this.version = meta.version;
    this.size = meta.size;
    this.etag = meta.etag;
    this.httpEtag = `"${meta.etag}"`;
    this.uploaded = new Date(meta.uploadedMs);
    this.httpMetadata = shown.http ? toHttpMetadata(meta.httpMetadata) : {};
    this.customMetadata = shown.custom ? { ...meta.customMetadata } : {};
    this.range = range === undefined ? undefined : { offset: range.offset, length: range.length };
    this.checksums = new R2Checksums(meta.checksums);
    this.storageClass = meta.storageClass;
  }

  /** Sets Content-Type, Content-Language, Content-Disposition, Content-Encoding, Cache-Control, Expires. */
  writeHttpMetadata(headers: Headers): void {
    const m = this.httpMetadata;
    if (m.contentType !== undefined) headers.set("content-type", m.contentType);
    if (m.contentLanguage !== undefined) headers.set("content-language", m.contentLanguage);
    if (m.contentDisposition !== undefined) headers.set("content-disposition", m.contentDisposition);
    if (m.contentEncoding !== undefined) headers.set("content-encoding", m.contentEncoding);
    if (m.cacheControl !== undefined) headers.set("cache-control", m.cacheControl);
    if (m.cacheExpiry !== undefined) headers.set("expires", m.cacheExpiry.toUTCString());
  }
}

export class R2ObjectBody extends R2Object {
  readonly #body: ReadableStream<Uint8Array>;
  #disturbed = false;

  constructor(meta: R2ObjectMeta, range: R2ByteRange, reader: R2BodyReader) {
    super(meta, range);
    this.#body = new ReadableStream(
      {
        type: "bytes",
        pull: async (controller: ReadableByteStreamController) => {
          this.#disturbed = true;
          const { done, value } = await reader.next();
          if (done) {
            controller.close();
            controller.byobRequest?.respond(0);
          } else {
            controller.enqueue(value as Uint8Array<ArrayBuffer>);
          }
        },
        cancel: async () => {
          this.#disturbed = true;
          await reader.return();
        },
      },
      { highWaterMark: 0 },
    );
  }

  get body(): ReadableStream<Uint8Array> {
    return this.#body;
  }

  get bodyUsed(): boolean {
    return this.#disturbed;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.#readAll();
    return bytes.buffer as ArrayBuffer;
  }

  async bytes(): Promise<Uint8Array> {
    return this.#readAll();
  }

  async text(): Promise<string> {
    return new TextDecoder().decode(await this.#readAll());
  }

  async json<T>(): Promise<T> {
    return JSON.parse(await this.text()) as T;
  }

  async blob(): Promise<Blob> {
    const bytes = await this.#readAll();
    return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: this.httpMetadata.contentType ?? "" });
  }

  /** The rest of the body in one fresh array that spans its own buffer. */
  async #readAll(): Promise<Uint8Array> {
    if (this.#disturbed) throw r2Error("bodyUsed");
    const reader = this.#body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.byteLength;
    }
    if (chunks.length === 1 && chunks[0]!.byteOffset === 0 && chunks[0]!.byteLength === chunks[0]!.buffer.byteLength) return chunks[0]!;
    const out = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      out.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return out;
  }
}

function toHttpMetadata(fields: R2HttpFields): R2HTTPMetadata {
  const out: R2HTTPMetadata = {};
  if (fields.contentType !== undefined) out.contentType = fields.contentType;
  if (fields.contentLanguage !== undefined) out.contentLanguage = fields.contentLanguage;
  if (fields.contentDisposition !== undefined) out.contentDisposition = fields.contentDisposition;
  if (fields.contentEncoding !== undefined) out.contentEncoding = fields.contentEncoding;
  if (fields.cacheControl !== undefined) out.cacheControl = fields.cacheControl;
  if (fields.cacheExpiryMs !== undefined) out.cacheExpiry = new Date(fields.cacheExpiryMs);
  return out;
}

function fromHex(hex: string): ArrayBuffer {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out.buffer;
}

function toHex(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
