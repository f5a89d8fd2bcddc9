/**
 * R2: the folder's only public entry. Other folders import from here, never deeper.
 * index.test.ts pins this list.
 */
export {
  closeR2Buckets,
  createR2Bucket,
  disposeR2Bucket,
  listLocalR2Buckets,
  r2BucketDescriptor,
  r2BucketDir,
  r2BucketName,
  r2Descriptors,
} from "./binding.js";
export type { CreateR2BucketOptions, R2BucketConfig } from "./binding.js";
export { createR2Api, R2Bucket } from "./api.worker.js";
export type { R2ListOptions, R2Objects } from "./api.worker.js";
export { R2Checksums, R2Object, R2ObjectBody } from "./object.worker.js";
export type { R2HTTPMetadata, R2StringChecksums } from "./object.worker.js";
export { R2MultipartUpload } from "./multipart.worker.js";
export type { R2UploadedPart } from "./multipart.worker.js";
export { r2Error } from "./errors.js";
export type { R2ErrorKind, R2Operation } from "./errors.js";
export { openSqliteR2Store, R2_BLOBS_DIR, R2_DB_FILE } from "./drivers/sqlite.js";
export type { SqliteR2StoreOptions } from "./drivers/sqlite.js";
export { isR2StoreFailure, R2StoreFailure } from "./store.js";
export type {
  R2ByteRange,
  R2Condition,
  R2GetResult,
  R2HttpFields,
  R2ListPage,
  R2ListQuery,
  R2ObjectMeta,
  R2PutInput,
  R2Store,
} from "./store.js";
export {
  R2_API_DOCS_URL,
  R2_LIMITS_DOCS_URL,
  R2_MAX_DELETE_KEYS,
  R2_MAX_KEY_SIZE_BYTES,
  R2_MAX_LIST_LIMIT_KEYS,
  R2_MAX_METADATA_SIZE_BYTES,
  R2_MAX_MULTIPART_PARTS,
  R2_MAX_OBJECT_SIZE_BYTES,
  R2_MAX_PUT_SIZE_BYTES,
  R2_MIN_MULTIPART_PART_SIZE_BYTES,
  R2_MULTIPART_UPLOAD_LIFETIME_MS,
} from "./limits.js";
