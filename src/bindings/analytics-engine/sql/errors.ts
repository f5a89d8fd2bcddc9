/**
 * The one error type the Analytics Engine SQL engine throws for a query's own faults: bad or
 * unsupported SQL, an unknown table, column or function, a value that cannot be converted. The
 * SQL API answers these with a client error; anything else escaping the engine is a bug.
 */
export class AnalyticsSqlError extends Error {
  override name = "AnalyticsSqlError";
}

/** The message for a feature of ClickHouse SQL that Cloudflare's dialect (and so Hearth) lacks. */
export function unsupported(what: string): AnalyticsSqlError {
  return new AnalyticsSqlError(`${what} is not supported by the Analytics Engine SQL API`);
}
