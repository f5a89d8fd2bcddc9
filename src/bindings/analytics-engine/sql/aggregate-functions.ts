/**
 * Aggregate functions: SQLite's own where ClickHouse's semantics agree (count, sum, avg, min, max
 * and their -If forms), the user aggregates of functions.ts otherwise.
 */
import { AnalyticsSqlError } from "./errors.js";
import { FN } from "./functions.js";
import { arity, constantNumber, define, numeric, type CallSite, type FunctionTable } from "./call-site.js";
import { illegalType, integerSql, realLiteral, type Typed } from "./typed.js";
import { FLOAT64, INT64, isNumeric, isTemporal, UINT64, UINT8, type AeType } from "./types.js";

/** `topK` without N returns this many values (Cloudflare's and ClickHouse's default). */
const TOP_K_DEFAULT = 10;
/** The level of a quantile written without one: the median. */
const DEFAULT_QUANTILE_LEVEL = 0.5;

export const FUNCTIONS: FunctionTable = new Map();

define(FUNCTIONS, ["count"], {
  aggregate: true,
  distinct: true,
  translate(site) {
    arity(site, 0, 1);
    if (site.args.length === 0 || site.args[0]!.kind === "star") {
      if (site.distinct) throw new AnalyticsSqlError(`count(DISTINCT) needs a column: ${site.text}`);
      return { sql: "COUNT(*)", type: UINT64 };
    }
    return { sql: `COUNT(${site.distinct ? "DISTINCT " : ""}${site.arg(0).sql})`, type: UINT64 };
  },
});

/**
 * `sql`, or the default value of `type` where it is NULL: SQLite's aggregates of no rows are NULL,
 * ClickHouse's min, max, argMax, first_value… are the type's default (0, '', 1970-01-01 00:00:00).
 */
function orDefault(sql: string, type: AeType): string {
  const fallback = type.kind === "String" ? "''" : type.kind === "Float64" ? "0.0" : type.kind === "Array" ? "'[]'" : type.kind === "Nothing" ? "NULL" : "0";
  return `COALESCE(${sql}, ${fallback})`;
}

/** ClickHouse's sum type: Float64 for floats, Int64 or UInt64 for integers. */
function sumType(type: AeType): AeType {
  if (type.kind === "Float64") return FLOAT64;
  return type.kind === "Int" && type.signed ? INT64 : UINT64;
}

function sumSql(value: Typed, distinct: boolean): string {
  // SQLite's SUM of no rows is NULL where ClickHouse's is 0.
  return `COALESCE(SUM(${distinct ? "DISTINCT " : ""}${value.sql}), ${value.type.kind === "Float64" ? "0.0" : "0"})`;
}

define(FUNCTIONS, ["sum"], {
  aggregate: true,
  distinct: true,
  translate(site) {
    arity(site, 1);
    const value = numeric(site, 0);
    return { sql: sumSql(value, site.distinct), type: sumType(value.type) };
  },
});

define(FUNCTIONS, ["avg"], {
  aggregate: true,
  distinct: true,
  translate(site) {
    arity(site, 1);
    return { sql: `AVG(${site.distinct ? "DISTINCT " : ""}${numeric(site, 0).sql})`, type: FLOAT64 };
  },
});

for (const name of ["min", "max"]) {
  define(FUNCTIONS, [name], {
    aggregate: true,
    translate(site) {
      arity(site, 1);
      const value = site.arg(0);
      if (value.type.kind === "Array" || value.type.kind === "Interval") throw illegalType(value.type, site.name);
      return { sql: orDefault(`${name.toUpperCase()}(${value.sql})`, value.type), type: value.type };
    },
  });
}

define(FUNCTIONS, ["countIf"], {
  aggregate: true,
  translate(site) {
    arity(site, 1);
    return { sql: `COUNT(CASE WHEN ${site.condition(0).sql} THEN 1 END)`, type: UINT64 };
  },
});

define(FUNCTIONS, ["sumIf"], {
  aggregate: true,
  translate(site) {
    arity(site, 2);
    const value = numeric(site, 0);
    const condition = site.condition(1);
    return { sql: sumSql({ ...value, sql: `CASE WHEN ${condition.sql} THEN ${value.sql} END` }, false), type: sumType(value.type) };
  },
});

define(FUNCTIONS, ["avgIf"], {
  aggregate: true,
  translate(site) {
    arity(site, 2);
    const value = numeric(site, 0);
    return { sql: `AVG(CASE WHEN ${site.condition(1).sql} THEN ${value.sql} END)`, type: FLOAT64 };
  },
});

function quantile(site: CallSite, level: Typed | undefined, valueIndex: number): { sql: string; type: AeType } {
  const q = level === undefined ? DEFAULT_QUANTILE_LEVEL : constantNumber(level, site, "the quantile level");
  if (!(q >= 0 && q <= 1)) throw new AnalyticsSqlError(`${site.name}: the quantile level must be between 0 and 1, got ${q}`);
  const value = site.arg(valueIndex);
  if (!isNumeric(value.type) && !isTemporal(value.type)) throw illegalType(value.type, site.name);
  const weight = numeric(site, valueIndex + 1);
  const type = value.type.kind === "Bool" ? UINT8 : value.type;
  return { sql: integerSql(`${FN.quantileExactWeighted}(${realLiteral(q)}, ${value.sql}, ${weight.sql})`, type), type };
}

define(FUNCTIONS, ["quantileExactWeighted"], {
  aggregate: true,
  parametric: true,
  translate(site) {
    arity(site, 2);
    return quantile(site, site.parameter(0), 0);
  },
});

// `quantileWeighted(q, x, w)`, kept by Cloudflare for backwards compatibility; also `quantileWeighted(q)(x, w)`.
define(FUNCTIONS, ["quantileWeighted"], {
  aggregate: true,
  parametric: true,
  translate(site) {
    if (site.parameters.length > 0) {
      arity(site, 2);
      return quantile(site, site.parameter(0), 0);
    }
    arity(site, 3);
    return quantile(site, site.arg(0), 1);
  },
});

for (const [name, fn] of [["argMax", FN.argMax], ["argMin", FN.argMin]] as const) {
  define(FUNCTIONS, [name], {
    aggregate: true,
    translate(site) {
      arity(site, 2);
      const arg = site.arg(0);
      const value = site.arg(1);
      if (value.type.kind === "Array" || value.type.kind === "Interval") throw illegalType(value.type, site.name);
      return { sql: orDefault(integerSql(`${fn}(${arg.sql}, ${value.sql})`, arg.type), arg.type), type: arg.type };
    },
  });
}

for (const [name, fn] of [["first_value", FN.firstValue], ["last_value", FN.lastValue]] as const) {
  define(FUNCTIONS, [name], {
    aggregate: true,
    translate(site) {
      arity(site, 1);
      const value = site.arg(0);
      return { sql: orDefault(integerSql(`${fn}(${value.sql})`, value.type), value.type), type: value.type };
    },
  });
}

function topK(site: CallSite, weighted: boolean): { sql: string; type: AeType } {
  arity(site, weighted ? 2 : 1);
  const n = site.parameters.length > 0 ? constantNumber(site.parameter(0), site, "N") : TOP_K_DEFAULT;
  if (!Number.isInteger(n) || n < 1) throw new AnalyticsSqlError(`${site.name}: N must be a positive whole number, got ${n}`);
  const value = site.arg(0);
  if (value.type.kind === "Array" || value.type.kind === "Interval") throw illegalType(value.type, site.name);
  const weight = weighted ? `, ${numeric(site, 1).sql}` : "";
  return { sql: `${FN.topK}(${n}, ${value.sql}${weight})`, type: { kind: "Array", element: value.type } };
}

define(FUNCTIONS, ["topK"], { aggregate: true, parametric: true, translate: (site) => topK(site, false) });
define(FUNCTIONS, ["topKWeighted"], { aggregate: true, parametric: true, translate: (site) => topK(site, true) });
