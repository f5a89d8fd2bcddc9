/**
 * What a function of the catalogue sees of its call, and the checks every function applies to
 * its arguments (count, types, constants, time zones). Shared by the *-functions.ts files.
 */
import type { Expr } from "./ast.js";
import { checkTimezone, parseDateTime } from "./datetime.js";
import { AnalyticsSqlError } from "./errors.js";
import { illegalType, type Constant, type Params, type Typed } from "./typed.js";
import { dateTimeType, isInteger, isNumeric, isTemporal, UINT8, type AeType } from "./types.js";

/** What a function translator sees of its call. */
export interface CallSite {
  /** The name as written. */
  name: string;
  /** The whole call as written. */
  text: string;
  args: readonly Expr[];
  parameters: readonly Expr[];
  distinct: boolean;
  nowSeconds: number;
  params: Params;
  /** Translates argument `i` (inside an aggregate for aggregates). */
  arg(i: number): Typed;
  /** Argument `i` as a condition (a number). */
  condition(i: number): Typed;
  /** Parameter `i` of a parametric aggregate, if written. */
  parameter(i: number): Typed | undefined;
}

export interface FunctionDef {
  aggregate?: boolean;
  /** Takes `f(parameters)(arguments)`. */
  parametric?: boolean;
  /** Accepts `f(DISTINCT x)`. */
  distinct?: boolean;
  translate(site: CallSite): { sql: string; type: AeType; constant?: Constant };
}

/** Function definitions by lower-cased name. */
export type FunctionTable = Map<string, FunctionDef>;

/** Adds `def` to `table` under each of `names` (matched case-insensitively). */
export function define(table: FunctionTable, names: readonly string[], def: FunctionDef): void {
  for (const name of names) table.set(name.toLowerCase(), def);
}

/** Throws unless the call has `min` to `max` arguments. */
export function arity(site: CallSite, min: number, max = min): void {
  const n = site.args.length;
  if (n < min || n > max) {
    const wanted = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw new AnalyticsSqlError(`Function ${site.name} takes ${wanted} argument${max === 1 ? "" : "s"}, got ${n}: ${site.text}`);
  }
}

/** Argument `i`, which must be a number (Int, Float64 or Bool). */
export function numeric(site: CallSite, i: number): Typed {
  const t = site.arg(i);
  if (!isNumeric(t.type)) throw illegalType(t.type, site.name);
  return t;
}

/** Argument `i`, which must be an integer. */
export function integer(site: CallSite, i: number): Typed {
  const t = site.arg(i);
  if (!isInteger(t.type)) throw illegalType(t.type, site.name);
  return t;
}

/** Argument `i`, which must be a String. */
export function text(site: CallSite, i: number): Typed {
  const t = site.arg(i);
  if (t.type.kind !== "String") throw illegalType(t.type, site.name);
  return t;
}

/** A DateTime or Date argument; a string constant is read as a DateTime. */
export function temporal(site: CallSite, i: number): Typed {
  const t = site.arg(i);
  if (typeof t.constant === "string") return { sql: String(parseDateTime(t.constant, undefined)), type: dateTimeType(undefined), aggregate: false };
  if (!isTemporal(t.type)) throw illegalType(t.type, site.name);
  return t;
}

/** The folded value of `t`; throws unless it is a constant. */
function constantOf(t: Typed | undefined, site: CallSite, what: string): Constant {
  if (!t || t.constant === undefined) throw new AnalyticsSqlError(`${site.name}: ${what} must be a constant: ${site.text}`);
  return t.constant;
}

/** The folded value of `t`, which must be a numeric constant. */
export function constantNumber(t: Typed | undefined, site: CallSite, what: string): number {
  const value = constantOf(t, site, what);
  if (typeof value !== "number") throw new AnalyticsSqlError(`${site.name}: ${what} must be a number: ${site.text}`);
  return value;
}

/** The folded value of `t`, which must be a string constant. */
export function constantString(t: Typed | undefined, site: CallSite, what: string): string {
  const value = constantOf(t, site, what);
  if (typeof value !== "string") throw new AnalyticsSqlError(`${site.name}: ${what} must be a string: ${site.text}`);
  return value;
}

/** The optional time zone argument `i`, checked; else the zone of DateTime `value`. */
export function zoneArg(site: CallSite, i: number, value: Typed): string | undefined {
  if (site.args.length > i) {
    const timezone = constantString(site.arg(i), site, "the time zone");
    checkTimezone(timezone);
    return timezone;
  }
  return value.type.kind === "DateTime" ? value.type.timezone : undefined;
}

/** Integer type of an integer-like value (Bool as UInt8). */
export function intTypeOf(type: AeType): AeType {
  return type.kind === "Int" ? type : UINT8;
}
