/**
 * The Analytics Engine SQL engine: runs a query of Cloudflare's SQL API dialect (ClickHouse
 * flavoured) over the points in Hearth's SQLite database and returns the response body.
 *
 *     parser.ts (tokenizer.ts) → translate.ts (expressions.ts, function-catalog.ts) → SQLite,
 *     with functions.ts registered on the connection → format.ts
 */
import type { SqliteDatabase } from "../../../shared/sqlite.js";
import { formatResult } from "./format.js";
import { registerAnalyticsFunctions } from "./functions.js";
import { parseStatement } from "./parser.js";
import { DATASET_COLUMN, POINTS_TABLE } from "./schema.js";
import { planStatement } from "./translate.js";

export { AnalyticsSqlError } from "./errors.js";

export interface AnalyticsQueryResult {
  contentType: string;
  body: string;
}

export interface AnalyticsQueryOptions {
  /** The clock `now()` reads, in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
}

/**
 * Runs one statement (`SHOW TABLES`, `SHOW TIMEZONES`, `SHOW TIMEZONE` or `SELECT …`) against `db`,
 * a database opened with `openAnalyticsDatabase`. Throws AnalyticsSqlError for a query's own
 * faults: invalid or unsupported SQL, an unknown table, column or function.
 */
export function runAnalyticsQuery(db: SqliteDatabase, sql: string, options: AnalyticsQueryOptions = {}): AnalyticsQueryResult {
  registerAnalyticsFunctions(db);
  const statement = parseStatement(sql);
  const tableExists = db.prepare(`SELECT 1 FROM ${POINTS_TABLE} WHERE ${DATASET_COLUMN} = ? LIMIT 1`).pluck();
  const plan = planStatement(statement, sql, {
    nowMs: (options.now ?? Date.now)(),
    hasTable: (name) => tableExists.get(name) !== undefined,
  });
  if (!plan.query) return formatResult(plan.format, plan.columns, plan.rows ?? [], plan.rows?.length ?? 0);

  const { sql: querySql, params, countSql } = plan.query;
  const bind = Object.keys(params).length > 0 ? [params] : [];
  // Integers come back as BigInt so 64-bit values keep every digit.
  const rows = db.prepare(querySql).raw(true).safeIntegers(true).all(...bind) as unknown[][];
  const total = countSql ? Number(db.prepare(countSql).pluck().get(...bind)) : rows.length;
  return formatResult(plan.format, plan.columns, rows, total);
}
