/**
 * ClickHouse data types as the engine tracks them at translation time. SQLite has no such types,
 * so every translated expression carries one: it decides the column types in `meta`, how values
 * are written out (64-bit integers quoted in JSON, DateTimes as text) and which operations a query
 * may apply (ClickHouse refuses `blob1 + 1`, so the engine does too).
 *
 * In SQLite a DateTime is whole seconds since the UNIX epoch, a Date is the UTC midnight of its day
 * in the same unit, a Bool is 0/1 and an Array is JSON text.
 */
import type { IntervalUnit } from "./ast.js";
import { AnalyticsSqlError } from "./errors.js";

export type IntBits = 8 | 16 | 32 | 64;

export type AeType =
  | { kind: "String" }
  | { kind: "Float64" }
  | { kind: "Bool" }
  | { kind: "Date" }
  /** The type of NULL. */
  | { kind: "Nothing" }
  | { kind: "Int"; bits: IntBits; signed: boolean }
  /** A `timezone` other than UTC changes how values print and how date functions see them. */
  | { kind: "DateTime"; timezone?: string }
  | { kind: "Array"; element: AeType }
  /** Only as an operand of DateTime arithmetic or of toStartOfInterval. */
  | { kind: "Interval"; unit: IntervalUnit };

export const STRING: AeType = { kind: "String" };
export const FLOAT64: AeType = { kind: "Float64" };
export const BOOL: AeType = { kind: "Bool" };
export const DATE: AeType = { kind: "Date" };
export const NOTHING: AeType = { kind: "Nothing" };
export const DATETIME: AeType = { kind: "DateTime" };
export const UINT8 = intType(8, false);
export const UINT16 = intType(16, false);
export const UINT32 = intType(32, false);
export const UINT64 = intType(64, false);
export const INT64 = intType(64, true);

export function intType(bits: IntBits, signed: boolean): AeType {
  return { kind: "Int", bits, signed };
}

export function dateTimeType(timezone: string | undefined): AeType {
  return timezone === undefined ? DATETIME : { kind: "DateTime", timezone };
}

/** The name ClickHouse reports in `meta`: `UInt64`, `DateTime('Europe/Paris')`, `Array(String)`. */
export function typeName(type: AeType): string {
  switch (type.kind) {
    case "Int":
      return `${type.signed ? "Int" : "UInt"}${type.bits}`;
    case "DateTime":
      return type.timezone === undefined ? "DateTime" : `DateTime('${type.timezone}')`;
    case "Array":
      return `Array(${typeName(type.element)})`;
    case "Interval":
      return `Interval${type.unit[0]}${type.unit.slice(1).toLowerCase()}`;
    case "Nothing":
      return "Nullable(Nothing)";
    default:
      return type.kind;
  }
}

/** Int, Float64 or Bool: what arithmetic and math functions accept. */
export function isNumeric(type: AeType): boolean {
  return type.kind === "Int" || type.kind === "Float64" || type.kind === "Bool";
}

export function isInteger(type: AeType): boolean {
  return type.kind === "Int" || type.kind === "Bool";
}

export function isTemporal(type: AeType): boolean {
  return type.kind === "DateTime" || type.kind === "Date";
}

/** 64-bit integers, which ClickHouse quotes in JSON so JavaScript readers keep every digit. */
export function isQuotedInJson(type: AeType): boolean {
  return type.kind === "Int" && type.bits === 64;
}

/** Bits and signedness of an integer-like type (Bool is UInt8). */
function intShape(type: AeType): { bits: IntBits; signed: boolean } {
  if (type.kind === "Int") return { bits: type.bits, signed: type.signed };
  return { bits: 8, signed: false };
}

function widen(bits: number): IntBits {
  return Math.min(64, bits * 2) as IntBits;
}

/** The smallest type holding integer literal `value`, as ClickHouse types `1` (UInt8) or `-1` (Int8). */
export function literalIntType(value: bigint): AeType {
  const limits: IntBits[] = [8, 16, 32, 64];
  for (const bits of limits) {
    if (value >= 0n && value < 1n << BigInt(bits)) return intType(bits, false);
    if (value < 0n && value >= -(1n << BigInt(bits - 1))) return intType(bits, true);
  }
  throw new AnalyticsSqlError(`Integer literal ${value} is out of range`);
}

/**
 * Result of `+`, `-` and `*` on two integer types, the way ClickHouse widens: the larger operand
 * doubled (UInt8 + UInt8 is UInt16, UInt32 * UInt32 is UInt64), signed for `-` or a signed operand.
 */
export function integerArithmeticType(operator: "+" | "-" | "*", a: AeType, b: AeType): AeType {
  const x = intShape(a);
  const y = intShape(b);
  return intType(widen(Math.max(x.bits, y.bits)), operator === "-" || x.signed || y.signed);
}

/** Result of `%`: no wider than the operands, signed when the dividend is. */
export function moduloType(a: AeType, b: AeType): AeType {
  const x = intShape(a);
  const y = intShape(b);
  return intType(Math.max(x.bits, y.bits) as IntBits, x.signed);
}

/** Result of unary minus: signed, widened when the operand was unsigned. */
export function negatedType(type: AeType): AeType {
  if (!isInteger(type)) return FLOAT64;
  const { bits, signed } = intShape(type);
  return intType(signed ? bits : widen(bits), true);
}

/**
 * The type both branches of `if`/`CASE`/`multiIf` (and the values of an IN list) convert to, or
 * undefined when ClickHouse has none (String against a number).
 */
export function superType(a: AeType, b: AeType): AeType | undefined {
  if (a.kind === "Nothing") return b;
  if (b.kind === "Nothing") return a;
  if (isNumeric(a) && isNumeric(b)) {
    if (a.kind === "Float64" || b.kind === "Float64") return FLOAT64;
    if (a.kind === "Bool" && b.kind === "Bool") return BOOL;
    const x = intShape(a);
    const y = intShape(b);
    if (x.signed === y.signed) return intType(Math.max(x.bits, y.bits) as IntBits, x.signed);
    const unsignedBits = x.signed ? y.bits : x.bits;
    const signedBits = x.signed ? x.bits : y.bits;
    return intType(Math.max(signedBits, widen(unsignedBits)) as IntBits, true);
  }
  if (isTemporal(a) && isTemporal(b)) return a.kind === "DateTime" ? a : b;
  if (a.kind === "String" && b.kind === "String") return STRING;
  if (a.kind === "Array" && b.kind === "Array") {
    const element = superType(a.element, b.element);
    return element && { kind: "Array", element };
  }
  return undefined;
}

/** Whether values of the two types may be compared with `=`, `<`, IN, BETWEEN. */
export function comparable(a: AeType, b: AeType): boolean {
  if (a.kind === "Nothing" || b.kind === "Nothing") return true;
  if ((isNumeric(a) || isTemporal(a)) && (isNumeric(b) || isTemporal(b))) return true;
  return a.kind === b.kind && a.kind !== "Interval";
}
