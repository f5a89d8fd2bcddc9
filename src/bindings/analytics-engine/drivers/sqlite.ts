/**
 * The embedded Analytics Engine driver: one SQLite database per state root holding the points of
 * every dataset, so the SQL API can list them (`SHOW TABLES`) and a CLI process can query them
 * while a dev server writes.
 *
 *     <stateRoot>/analytics-engine/db.sqlite    the `points` table (schema below), WAL mode
 *
 * A point's columns mirror Cloudflare's table: `dataset`, `timestamp`, `_sample_interval`,
 * `index1`, `blob1..20`, `double1..20`. Missing blobs are stored as '' and missing doubles as 0,
 * which is what Cloudflare's SQL API returns for them. `timestamp` is kept in milliseconds so
 * points written in the same second keep their order; the SQL API presents it as a DateTime.
 */
import path from "node:path";
import fs from "node:fs";
import { openSqlite, type SqliteDatabase } from "../../../shared/sqlite.js";
import { kindDir } from "../../../shared/paths.js";
import { AE_MAX_BLOBS, AE_MAX_DOUBLES } from "../limits.js";
import type { AnalyticsEngineStore, StoredDataPoint } from "../store.js";

/** The database file inside `<stateRoot>/analytics-engine/`. */
export const AE_DB_FILE = "db.sqlite";
/** Version of the schema below, kept in `PRAGMA user_version`. */
const SCHEMA_VERSION = 1;

/** `blob1`, …, `blob20`. */
export const BLOB_COLUMNS: readonly string[] = Array.from({ length: AE_MAX_BLOBS }, (_, i) => `blob${i + 1}`);
/** `double1`, …, `double20`. */
export const DOUBLE_COLUMNS: readonly string[] = Array.from({ length: AE_MAX_DOUBLES }, (_, i) => `double${i + 1}`);

const SCHEMA = `
CREATE TABLE IF NOT EXISTS points (
  dataset          TEXT    NOT NULL,           -- the binding's dataset (the SQL API's table name)
  timestamp        INTEGER NOT NULL,           -- write time, milliseconds since the UNIX epoch
  _sample_interval INTEGER NOT NULL DEFAULT 1, -- Hearth never samples: always 1
  index1           TEXT    NOT NULL DEFAULT '',
  ${BLOB_COLUMNS.map((c) => `${c} TEXT NOT NULL DEFAULT ''`).join(",\n  ")},
  ${DOUBLE_COLUMNS.map((c) => `${c} REAL NOT NULL DEFAULT 0`).join(",\n  ")}
);
CREATE INDEX IF NOT EXISTS points_dataset_timestamp ON points (dataset, timestamp);
`;

/** The folder holding the Analytics Engine database of a state root. */
export function analyticsEngineDir(stateRoot: string): string {
  return kindDir(stateRoot, "analytics-engine");
}

/** Opens (creating if needed) the Analytics Engine database of `stateRoot`. */
export function openAnalyticsDatabase(stateRoot: string): SqliteDatabase {
  return openAnalyticsDatabaseIn(analyticsEngineDir(stateRoot));
}

/** Opens (creating if needed) the Analytics Engine database in `dir` (see analyticsEngineDir). */
export function openAnalyticsDatabaseIn(dir: string): SqliteDatabase {
  fs.mkdirSync(dir, { recursive: true });
  const db = openSqlite(path.join(dir, AE_DB_FILE));
  try {
    const version = db.pragma("user_version", { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(`${path.join(dir, AE_DB_FILE)} was written by a newer Hearth (schema ${version}); this one reads schema ${SCHEMA_VERSION}`);
    }
    if (version < SCHEMA_VERSION) {
      db.exec(SCHEMA);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

const INSERT_COLUMNS = ["dataset", "timestamp", "index1", ...BLOB_COLUMNS, ...DOUBLE_COLUMNS];
const INSERT_SQL = `INSERT INTO points (${INSERT_COLUMNS.join(", ")}) VALUES (${INSERT_COLUMNS.map(() => "?").join(", ")})`;

/**
 * The store the binding writes through. Points are fire-and-forget (the Worker never waits for
 * them), so commits use `synchronous = NORMAL`: a commit survives the process being killed, and
 * only an OS crash or power loss can take the last few batches.
 */
export function openSqliteAnalyticsStore(dir: string): AnalyticsEngineStore {
  const db = openAnalyticsDatabaseIn(dir);
  db.pragma("synchronous = NORMAL");
  const insert = db.prepare(INSERT_SQL);
  const row = (point: StoredDataPoint): unknown[] => [
    point.dataset,
    point.timestamp,
    point.index,
    ...BLOB_COLUMNS.map((_, i) => point.blobs[i] ?? ""),
    ...DOUBLE_COLUMNS.map((_, i) => point.doubles[i] ?? 0),
  ];
  const appendAll = db.transaction((points: readonly StoredDataPoint[]) => {
    for (const point of points) insert.run(row(point));
  });
  return {
    append: (points) => void appendAll(points),
    close: () => db.close(),
  };
}
