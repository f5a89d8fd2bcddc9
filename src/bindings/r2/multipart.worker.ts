/**
 * `R2MultipartUpload`, as workerd's `r2-multipart.c++`: `uploadPart`, `complete`, `abort`, and the
 * `key` / `uploadId` it was made with. Resuming only builds this object; the upload is checked when
 * it is used. Never imports Node modules.
 */
import { r2Error, type R2Operation } from "./errors.js";
import { R2_MAX_MULTIPART_PARTS, R2_MAX_PUT_SIZE_BYTES } from "./limits.js";
import { R2Object } from "./object.worker.js";
import { toPutBody } from "./put-options.worker.js";
import type { R2PartRef, R2Store } from "./store.js";

/** `R2UploadedPart` of workers-types. */
export interface R2UploadedPart {
  partNumber: number;
  etag: string;
}

/** Runs a store call for `op`, turning store failures into the errors user code sees. */
export type StoreCall = <T>(op: R2Operation, fn: () => Promise<T>, bodyThrew?: (error: unknown) => boolean) => Promise<T>;

export class R2MultipartUpload {
  readonly key: string;
  readonly uploadId: string;
  readonly #store: R2Store;
  readonly #call: StoreCall;

  constructor(key: string, uploadId: string, store: R2Store, call: StoreCall) {
    this.key = key;
    this.uploadId = uploadId;
    this.#store = store;
    this.#call = call;
  }

  async uploadPart(partNumber: number, value: unknown): Promise<R2UploadedPart> {
    const number = checkPartNumber(partNumber);
    const put = toPutBody(value, "uploadPart", "uploadPart", "R2MultipartUpload", false);
    if (put.size !== undefined && put.size > R2_MAX_PUT_SIZE_BYTES) {
      await put.cancel();
      throw r2Error("entityTooLarge", "uploadPart");
    }
    const { etag } = await this.#call(
      "uploadPart",
      () => this.#store.uploadPart({ key: this.key, uploadId: this.uploadId, partNumber: number, body: put.body }),
      put.threw,
    ).catch(async (error: unknown) => {
      await put.cancel();
      throw error;
    });
    return { partNumber: number, etag };
  }

  async complete(uploadedParts: readonly R2UploadedPart[]): Promise<R2Object> {
    const parts: R2PartRef[] = [...uploadedParts].map((part) => ({ partNumber: checkPartNumber(part.partNumber), etag: String(part.etag) }));
    const meta = await this.#call("completeMultipartUpload", () =>
      this.#store.completeMultipartUpload({ key: this.key, uploadId: this.uploadId, parts }),
    );
    return new R2Object(meta);
  }

  async abort(): Promise<void> {
    await this.#call("abortMultipartUpload", () => this.#store.abortMultipartUpload({ key: this.key, uploadId: this.uploadId }));
  }
}

/** workerd converts the part number to a 32-bit integer, then checks its range. */
function checkPartNumber(value: unknown): number {
  const number = Math.trunc(Number(value)) | 0;
  if (number < 1 || number > R2_MAX_MULTIPART_PARTS) throw r2Error("partNumberOutOfRange", number);
  return number;
}
