/**
 * Translated expressions (SQL text plus ClickHouse type) and the operations shared by the
 * expression translator and the function catalogue: comparisons with ClickHouse's conversions,
 * arithmetic with its result types and DateTime ± INTERVAL, text conversion, string parameters.
 */
import type { IntervalUnit } from "./ast.js";
import { FIXED_UNIT_SECONDS, parseDateTime, SECONDS_PER_DAY, UNIT_MONTHS } from "./datetime.js";
import { AnalyticsSqlError } from "./errors.js";
import { FN } from "./functions.js";
import {
  comparable, dateTimeType, FLOAT64, integerArithmeticType, INT64, isInteger, isNumeric, isTemporal, literalIntType,
  moduloType, superType, typeName, type AeType,
} from "./types.js";

/** A value the translator folded at translation time. */
export type Constant = string | number | boolean | null;

/** A translated expression. */
export interface Typed {
  sql: string;
  type: AeType;
  /** Contains an aggregate function call. */
  aggregate: boolean;
  /** A column read outside any aggregate and outside every GROUP BY key. */
  ungrouped?: string;
  /** Its value, when it is a constant the translator folded. */
  constant?: Constant;
  /** For an INTERVAL: its amount, in its unit. */
  intervalAmount?: Typed;
}

/** Named SQL parameters for string values, one per distinct value, so equal expressions translate to equal SQL. */
export class Params {
  readonly values: Record<string, string> = {};
  private readonly names = new Map<string, string>();

  /** The placeholder (`@p0`) standing for `value`. */
  add(value: string): string {
    let name = this.names.get(value);
    if (name === undefined) {
      name = `p${this.names.size}`;
      this.names.set(value, name);
      this.values[name] = value;
    }
    return `@${name}`;
  }
}

/** A result built from `parts`: aggregate if any part is, reading the first ungrouped column of any part. */
export function derived(sql: string, type: AeType, parts: readonly Typed[], constant?: Constant): Typed {
  const t: Typed = { sql, type, aggregate: parts.some((p) => p.aggregate) };
  const ungrouped = parts.find((p) => p.ungrouped !== undefined)?.ungrouped;
  if (ungrouped !== undefined) t.ungrouped = ungrouped;
  if (constant !== undefined) t.constant = constant;
  return t;
}

export function illegalType(type: AeType, fn: string): AnalyticsSqlError {
  return new AnalyticsSqlError(`Illegal type ${typeName(type)} of argument of function ${fn}`);
}

export function commonType(a: AeType | undefined, b: AeType, what: string): AeType {
  if (a === undefined) return b;
  const t = superType(a, b);
  if (!t) throw new AnalyticsSqlError(`There is no supertype for types ${typeName(a)}, ${typeName(b)} in ${what}`);
  return t;
}

/** The common type of `types`, as the branches of if/multiIf need it. */
export function branchType(types: readonly AeType[], what: string): AeType {
  return types.reduce<AeType | undefined>((a, b) => commonType(a, b, what), undefined)!;
}

/** An integer or float literal, typed the way ClickHouse types it. */
export function numberLiteral(text: string): Typed {
  const negative = text.startsWith("-");
  const digits = negative ? text.slice(1) : text;
  if (/^0[xX]/.test(digits) || /^\d+$/.test(digits)) {
    const value = negative ? -BigInt(digits) : BigInt(digits);
    return { sql: value.toString(), type: literalIntType(value), aggregate: false, constant: Number(value) };
  }
  const value = Number(text);
  if (!Number.isFinite(value)) throw new AnalyticsSqlError(`Number literal ${text} is out of range`);
  return { sql: realLiteral(value), type: FLOAT64, aggregate: false, constant: value };
}

/** A float as SQL that SQLite reads as REAL. */
export function realLiteral(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

/** SQL of `sql` as an INTEGER when `type` is stored as one (JavaScript functions return REALs). */
export function integerSql(sql: string, type: AeType): string {
  return isInteger(type) || isTemporal(type) ? `CAST(${sql} AS INTEGER)` : sql;
}

/** SQL turning `t` into the text ClickHouse's toString would give. */
export function textOf(t: Typed): string {
  switch (t.type.kind) {
    case "String":
    case "Nothing":
    case "Array":
      return t.sql;
    case "Int":
      return `CAST(${t.sql} AS TEXT)`;
    case "Bool":
      return `(CASE WHEN ${t.sql} THEN 'true' ELSE 'false' END)`;
    case "Float64":
      return `${FN.floatText}(${t.sql})`;
    case "DateTime":
      return `${FN.dateTimeText}(${t.sql}, ${timezoneSql(t.type.timezone)})`;
    case "Date":
      return `${FN.dateText}(${t.sql})`;
    case "Interval":
      throw illegalType(t.type, "toString");
  }
}

/** A time zone as an SQL literal for the date functions (NULL for UTC). */
export function timezoneSql(timezone: string | undefined): string {
  return timezone === undefined ? "NULL" : `'${timezone.replaceAll("'", "''")}'`;
}

/**
 * SQL for the two sides of a comparison. A string constant compared with a DateTime, Date or
 * number is converted to that type first (ClickHouse parses it), so
 * `timestamp >= '2024-01-01 00:00:00'` works; other mixes of String and numbers are refused.
 */
export function comparisonSides(a: Typed, b: Typed, what: string): [string, string] {
  return [coerceToward(a, b.type, what), coerceToward(b, a.type, what)];
}

function coerceToward(t: Typed, other: AeType, what: string): string {
  if (t.type.kind === "String" && other.kind !== "String" && other.kind !== "Nothing") {
    if (typeof t.constant !== "string" || !(isTemporal(other) || isNumeric(other))) throw comparisonError(t.type, other, what);
    if (isTemporal(other)) {
      const seconds = parseDateTime(t.constant, other.kind === "DateTime" ? other.timezone : undefined);
      return String(other.kind === "Date" ? Math.floor(seconds / SECONDS_PER_DAY) * SECONDS_PER_DAY : seconds);
    }
    const n = Number(t.constant);
    if (t.constant.trim() === "" || Number.isNaN(n)) throw new AnalyticsSqlError(`Cannot convert '${t.constant}' to ${typeName(other)} in ${what}`);
    return isInteger(other) && Number.isInteger(n) ? String(n) : realLiteral(n);
  }
  // A String on the other side is converted (or refused) by the call for that side.
  if (other.kind !== "String" && !comparable(t.type, other)) throw comparisonError(t.type, other, what);
  return t.sql;
}

function comparisonError(a: AeType, b: AeType, what: string): AnalyticsSqlError {
  return new AnalyticsSqlError(`Illegal types of arguments (${typeName(a)}, ${typeName(b)}) of ${what}`);
}

/** `+ - * / %` with ClickHouse's result types, including DateTime ± INTERVAL and DateTime ± seconds. */
export function arithmetic(operator: "+" | "-" | "*" | "/" | "%", left: Typed, right: Typed): Typed {
  const parts = [left, right];
  if (operator === "+" && right.type.kind !== "Interval" && left.type.kind === "Interval") return arithmetic("+", right, left);
  if ((operator === "+" || operator === "-") && isTemporal(left.type)) {
    if (right.type.kind === "Interval") return addInterval(left, right, operator === "-" ? -1 : 1);
    if (isInteger(right.type)) {
      // A Date counts in days, a DateTime in seconds.
      const scale = left.type.kind === "Date" ? `${SECONDS_PER_DAY} * ` : "";
      return derived(`(${left.sql} ${operator} ${scale}${right.sql})`, left.type, parts);
    }
    if (operator === "-" && isTemporal(right.type)) {
      const divisor = left.type.kind === "Date" && right.type.kind === "Date" ? ` / ${SECONDS_PER_DAY}` : "";
      return derived(`((${left.sql} - ${right.sql})${divisor})`, INT64, parts);
    }
  }
  const name = { "+": "plus", "-": "minus", "*": "multiply", "/": "divide", "%": "modulo" }[operator];
  if (!isNumeric(left.type)) throw illegalType(left.type, name);
  if (!isNumeric(right.type)) throw illegalType(right.type, name);
  const float = left.type.kind === "Float64" || right.type.kind === "Float64";
  switch (operator) {
    case "/":
      return derived(`(CAST(${left.sql} AS REAL) / ${right.sql})`, FLOAT64, parts);
    case "%":
      if (float) return derived(`${FN.fmod}(${left.sql}, ${right.sql})`, FLOAT64, parts);
      if (right.constant === 0) throw new AnalyticsSqlError("Division by zero in modulo");
      return derived(`(${left.sql} % ${right.sql})`, moduloType(left.type, right.type), parts);
    default:
      return derived(`(${left.sql} ${operator} ${right.sql})`, float ? FLOAT64 : integerArithmeticType(operator, left.type, right.type), parts);
  }
}

/** DateTime or Date plus `sign` × an INTERVAL: fixed units in seconds, months through the calendar. */
function addInterval(left: Typed, interval: Typed, sign: 1 | -1): Typed {
  const unit = (interval.type as { unit: IntervalUnit }).unit;
  const amount = interval.intervalAmount!;
  const parts = [left, interval];
  const signed = sign < 0 ? `(-${amount.sql})` : amount.sql;
  const seconds = FIXED_UNIT_SECONDS[unit];
  const timezone = left.type.kind === "DateTime" ? left.type.timezone : undefined;
  if (seconds !== undefined) {
    // A Date plus hours or smaller becomes a DateTime, as in ClickHouse.
    const type = left.type.kind === "Date" && seconds < SECONDS_PER_DAY ? dateTimeType(undefined) : left.type;
    return derived(`(${left.sql} + ${signed} * ${seconds})`, type, parts);
  }
  const months = `${signed} * ${UNIT_MONTHS[unit]!}`;
  return derived(integerSql(`${FN.addMonths}(${left.sql}, ${months}, ${timezoneSql(timezone)})`, left.type), left.type, parts);
}
