/**
 * Workers KV: the folder's only public entry. Other folders import from here, never deeper.
 * index.test.ts pins this list.
 */
export {
  closeKvNamespaces,
  createKvNamespace,
  disposeKvNamespace,
  kvDescriptors,
  kvNamespaceDir,
  kvNamespaceId,
  listLocalKvNamespaces,
} from "./binding.js";
export type { CreateKvNamespaceOptions, KvNamespaceConfig } from "./binding.js";
export { createKvApi, kvError } from "./api.worker.js";
export type {
  KvApiOptions,
  KvErrorKind,
  KvMethod,
  KVNamespace,
  KVNamespaceGetOptions,
  KVNamespaceGetWithMetadataResult,
  KVNamespaceListKey,
  KVNamespaceListOptions,
  KVNamespaceListResult,
  KVNamespacePutOptions,
} from "./api.worker.js";
export { openSqliteKvStore } from "./drivers/sqlite.js";
export type { SqliteKvStoreOptions } from "./drivers/sqlite.js";
export type { KvEntry, KvKeyInfo, KvListPage, KvListQuery, KvPutEntry, KvStore } from "./store.js";
export {
  KV_LIMITS_DOCS_URL,
  KV_MAX_BULK_GET_KEYS,
  KV_MAX_BULK_GET_TOTAL_BYTES,
  KV_MAX_KEY_SIZE_BYTES,
  KV_MAX_LIST_LIMIT_KEYS,
  KV_MAX_METADATA_SIZE_BYTES,
  KV_MAX_OPERATIONS_PER_INVOCATION,
  KV_MAX_VALUE_SIZE_BYTES,
  KV_MIN_CACHE_TTL_SECONDS,
  KV_MIN_EXPIRATION_TTL_SECONDS,
} from "./limits.js";
