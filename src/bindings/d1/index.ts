/**
 * D1 databases: the folder's only public entry. Other folders import from here, never deeper.
 * index.test.ts pins this list.
 */
export {
  closeD1Databases,
  createD1Database,
  d1DatabaseDir,
  d1DatabaseId,
  d1Descriptors,
  d1FlagDescriptor,
  disposeD1Database,
  listLocalD1Databases,
} from "./binding.js";
export type { CreateD1DatabaseOptions, D1DatabaseEntry } from "./binding.js";
export { createD1Api, d1Error } from "./api.worker.js";
export type {
  D1ApiOptions,
  D1Database,
  D1DatabaseSession,
  D1ErrorKind,
  D1ExecResult,
  D1Meta,
  D1PreparedStatement,
  D1Response,
  D1Result,
  D1SessionBookmark,
  D1SessionConstraint,
} from "./api.worker.js";
export { D1_DB_FILE, openSqliteD1Store } from "./drivers/sqlite.js";
export type { SqliteD1StoreOptions } from "./drivers/sqlite.js";
export type { D1BatchOptions, D1BatchOutcome, D1Query, D1QueryMeta, D1QueryResult, D1Store, D1Value } from "./store.js";
export {
  D1_DEFAULT_MIGRATIONS_DIR,
  D1_DEFAULT_MIGRATIONS_TABLE,
  appliedMigrations,
  applyMigration,
  createMigrationsTable,
  listMigrationFiles,
  migrationFileHeader,
  migrationFileName,
  nextMigrationNumber,
} from "./migrations.js";
export type { MigrationOutcome } from "./migrations.js";
export { splitStatements } from "../../shared/sql-text.js";
export type { SqlStatement } from "../../shared/sql-text.js";
export {
  D1_LIMITS_DOCS_URL,
  D1_MAX_BOUND_PARAMETERS,
  D1_MAX_COLUMNS_PER_TABLE,
  D1_MAX_DATABASE_SIZE_BYTES,
  D1_MAX_QUERIES_PER_INVOCATION,
  D1_MAX_QUERY_DURATION_SECONDS,
  D1_MAX_SQL_LENGTH_BYTES,
  D1_MAX_VALUE_SIZE_BYTES,
} from "./limits.js";
