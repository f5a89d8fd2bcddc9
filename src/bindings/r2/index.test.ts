import assert from "node:assert/strict";
import { it } from "node:test";
import * as r2 from "./index.js";

it("src/bindings/r2/index.ts exports exactly its public surface", () => {
  assert.deepEqual(Object.keys(r2).sort(), [
    "R2Bucket",
    "R2Checksums",
    "R2MultipartUpload",
    "R2Object",
    "R2ObjectBody",
    "R2StoreFailure",
    "R2_API_DOCS_URL",
    "R2_BLOBS_DIR",
    "R2_DB_FILE",
    "R2_LIMITS_DOCS_URL",
    "R2_MAX_DELETE_KEYS",
    "R2_MAX_KEY_SIZE_BYTES",
    "R2_MAX_LIST_LIMIT_KEYS",
    "R2_MAX_METADATA_SIZE_BYTES",
    "R2_MAX_MULTIPART_PARTS",
    "R2_MAX_OBJECT_SIZE_BYTES",
    "R2_MAX_PUT_SIZE_BYTES",
    "R2_MIN_MULTIPART_PART_SIZE_BYTES",
    "R2_MULTIPART_UPLOAD_LIFETIME_MS",
    "closeR2Buckets",
    "createR2Api",
    "createR2Bucket",
    "disposeR2Bucket",
    "isR2StoreFailure",
    "listLocalR2Buckets",
    "openSqliteR2Store",
    "r2BucketDescriptor",
    "r2BucketDir",
    "r2BucketName",
    "r2Descriptors",
    "r2Error",
  ]);
});
