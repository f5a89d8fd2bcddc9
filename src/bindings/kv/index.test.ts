import assert from "node:assert/strict";
import { it } from "node:test";
import * as kv from "./index.js";

it("src/bindings/kv/index.ts exports exactly its public surface", () => {
  assert.deepEqual(Object.keys(kv).sort(), [
    "KV_LIMITS_DOCS_URL",
    "KV_MAX_BULK_GET_KEYS",
    "KV_MAX_BULK_GET_TOTAL_BYTES",
    "KV_MAX_KEY_SIZE_BYTES",
    "KV_MAX_LIST_LIMIT_KEYS",
    "KV_MAX_METADATA_SIZE_BYTES",
    "KV_MAX_OPERATIONS_PER_INVOCATION",
    "KV_MAX_VALUE_SIZE_BYTES",
    "KV_MIN_CACHE_TTL_SECONDS",
    "KV_MIN_EXPIRATION_TTL_SECONDS",
    "closeKvNamespaces",
    "createKvApi",
    "createKvNamespace",
    "disposeKvNamespace",
    "kvDescriptors",
    "kvError",
    "kvNamespaceDir",
    "kvNamespaceId",
    "listLocalKvNamespaces",
    "openSqliteKvStore",
  ]);
});
