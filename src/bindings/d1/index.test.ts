import assert from "node:assert/strict";
import { it } from "node:test";
import * as d1 from "./index.js";

it("src/bindings/d1/index.ts exports exactly its public surface", () => {
  assert.deepEqual(Object.keys(d1).sort(), [
    "D1_DB_FILE",
    "D1_DEFAULT_MIGRATIONS_DIR",
    "D1_DEFAULT_MIGRATIONS_TABLE",
    "D1_LIMITS_DOCS_URL",
    "D1_MAX_BOUND_PARAMETERS",
    "D1_MAX_COLUMNS_PER_TABLE",
    "D1_MAX_DATABASE_SIZE_BYTES",
    "D1_MAX_QUERIES_PER_INVOCATION",
    "D1_MAX_QUERY_DURATION_SECONDS",
    "D1_MAX_SQL_LENGTH_BYTES",
    "D1_MAX_VALUE_SIZE_BYTES",
    "appliedMigrations",
    "applyMigration",
    "closeD1Databases",
    "createD1Api",
    "createD1Database",
    "createMigrationsTable",
    "d1DatabaseDir",
    "d1DatabaseId",
    "d1Descriptors",
    "d1Error",
    "d1FlagDescriptor",
    "disposeD1Database",
    "listLocalD1Databases",
    "listMigrationFiles",
    "migrationFileHeader",
    "migrationFileName",
    "nextMigrationNumber",
    "openSqliteD1Store",
    "splitStatements",
  ]);
});
