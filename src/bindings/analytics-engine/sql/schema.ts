/**
 * The table every dataset is in Cloudflare's SQL API, and where its columns live in Hearth's
 * `points` table (drivers/sqlite.ts). `timestamp` is stored in milliseconds but is a DateTime
 * (whole seconds) in SQL, so its expression divides.
 */
import { BLOB_COLUMNS, DOUBLE_COLUMNS } from "../drivers/sqlite.js";
import { DATETIME, FLOAT64, STRING, UINT32, type AeType } from "./types.js";

/** The SQLite table holding the points of every dataset. */
export const POINTS_TABLE = "points";
/** Its column naming the dataset, i.e. the SQL API table. */
export const DATASET_COLUMN = "dataset";
const MILLISECONDS_PER_SECOND = 1000;

export interface TableColumn {
  name: string;
  type: AeType;
  /** The SQLite expression reading it, given the alias of `points` in the query. */
  sql(tableAlias: string): string;
}

const plain = (name: string, type: AeType): TableColumn => ({ name, type, sql: (t) => `${t}.${name}` });

/** The columns in the order `SELECT *` returns them (the order of Cloudflare's table docs). */
export const TABLE_COLUMNS: readonly TableColumn[] = [
  plain(DATASET_COLUMN, STRING),
  { name: "timestamp", type: DATETIME, sql: (t) => `(${t}.timestamp / ${MILLISECONDS_PER_SECOND})` },
  // ClickHouse stores the sample interval as UInt32; Hearth never samples, so it is always 1.
  plain("_sample_interval", UINT32),
  plain("index1", STRING),
  ...BLOB_COLUMNS.map((c) => plain(c, STRING)),
  ...DOUBLE_COLUMNS.map((c) => plain(c, FLOAT64)),
];
