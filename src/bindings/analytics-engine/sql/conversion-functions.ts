/** Type conversions: toString, toFloat64, toUInt8…toInt64, toDateTime, toDate, CAST, toUnixTimestamp, toTimeZone. */
import { checkTimezone, parseDateTime, SECONDS_PER_DAY } from "./datetime.js";
import { AnalyticsSqlError } from "./errors.js";
import { FN } from "./functions.js";
import { arity, constantString, define, zoneArg, type CallSite, type FunctionTable } from "./call-site.js";
import { illegalType, integerSql, textOf, timezoneSql, type Constant, type Typed } from "./typed.js";
import { DATE, dateTimeType, FLOAT64, intType, isInteger, isNumeric, isTemporal, STRING, UINT32, type AeType, type IntBits } from "./types.js";

export const FUNCTIONS: FunctionTable = new Map();

/** Converts a translated value to `target`, a ClickHouse type name (the CAST targets and toX functions). */
function convert(site: CallSite, value: Typed, target: string, timezone?: string): { sql: string; type: AeType; constant?: Constant } {
  const intMatch = /^(U?)Int(8|16|32|64)$/.exec(target);
  if (intMatch) return toInteger(site, value, Number(intMatch[2]) as IntBits, intMatch[1] === "");
  switch (target) {
    case "String":
      return { sql: textOf(value), type: STRING };
    case "Float64":
    case "Float32":
      if (value.type.kind === "String") return { sql: `${FN.toFloat}(${value.sql})`, type: FLOAT64 };
      if (!isNumeric(value.type) && !isTemporal(value.type)) throw illegalType(value.type, site.name);
      return { sql: `CAST(${value.sql} AS REAL)`, type: FLOAT64 };
    case "DateTime":
      return toDateTime(site, value, timezone);
    case "Date":
      return toDate(site, value, timezone);
    default:
      throw new AnalyticsSqlError(`${site.name}: unsupported target type ${target}`);
  }
}

/** The integer range a value of `type` can hold, to skip conversions that cannot change it. */
function fitsIn(type: AeType, bits: IntBits, signed: boolean): boolean {
  if (isTemporal(type)) return bits > 32 || (bits === 32 && !signed);
  if (type.kind === "Bool") return true;
  if (type.kind !== "Int") return false;
  if (type.signed === signed) return type.bits <= bits;
  return !type.signed && type.bits < bits;
}

function toInteger(site: CallSite, value: Typed, bits: IntBits, signed: boolean): { sql: string; type: AeType } {
  const type = intType(bits, signed);
  if (!isNumeric(value.type) && !isTemporal(value.type) && value.type.kind !== "String") throw illegalType(value.type, site.name);
  if (fitsIn(value.type, bits, signed)) return { sql: value.sql, type };
  return { sql: `${FN.toInt}(${value.sql}, ${bits}, ${signed ? 1 : 0})`, type };
}

function toDateTime(site: CallSite, value: Typed, timezone: string | undefined): { sql: string; type: AeType; constant?: Constant } {
  const type = dateTimeType(timezone ?? (value.type.kind === "DateTime" ? value.type.timezone : undefined));
  const zone = timezoneSql(timezone);
  switch (value.type.kind) {
    case "DateTime":
      return { sql: value.sql, type };
    case "Date":
      // A Date's midnight, on the wall clock of the zone.
      return { sql: timezone === undefined ? value.sql : integerSql(`${FN.wallToInstant}(${value.sql}, ${zone})`, type), type };
    case "String":
      if (typeof value.constant === "string") {
        const seconds = parseDateTime(value.constant, timezone);
        return { sql: String(seconds), type, constant: seconds };
      }
      return { sql: integerSql(`${FN.parseDateTime}(${value.sql}, ${zone})`, type), type };
    default:
      if (!isNumeric(value.type)) throw illegalType(value.type, site.name);
      return { sql: isInteger(value.type) ? value.sql : `CAST(${value.sql} AS INTEGER)`, type };
  }
}

function toDate(site: CallSite, value: Typed, timezone: string | undefined): { sql: string; type: AeType; constant?: Constant } {
  if (value.type.kind === "Date") return { sql: value.sql, type: DATE };
  if (value.type.kind === "String" && typeof value.constant === "string") {
    const day = Math.floor(parseDateTime(value.constant, undefined) / SECONDS_PER_DAY) * SECONDS_PER_DAY;
    return { sql: String(day), type: DATE, constant: day };
  }
  const dateTime = toDateTime(site, value, timezone);
  const zone = dateTime.type.kind === "DateTime" ? dateTime.type.timezone : undefined;
  return { sql: integerSql(`${FN.toDate}(${dateTime.sql}, ${timezoneSql(zone)})`, DATE), type: DATE };
}

for (const target of ["UInt8", "UInt16", "UInt32", "UInt64", "Int8", "Int16", "Int32", "Int64", "Float64", "Float32", "String"]) {
  define(FUNCTIONS, [`to${target}`], {
    translate(site) {
      arity(site, 1);
      return convert(site, site.arg(0), target);
    },
  });
}

for (const [name, target] of [["toDateTime", "DateTime"], ["toDate", "Date"]] as const) {
  define(FUNCTIONS, [name], {
    translate(site) {
      arity(site, 1, 2);
      const value = site.arg(0);
      return convert(site, value, target, site.args.length > 1 ? zoneArg(site, 1, value) : undefined);
    },
  });
}

define(FUNCTIONS, ["CAST"], {
  translate(site) {
    arity(site, 2);
    const value = site.arg(0);
    const target = constantString(site.arg(1), site, "the type").trim();
    const zoned = /^DateTime\('([^']+)'\)$/.exec(target);
    if (zoned) {
      checkTimezone(zoned[1]!);
      return convert(site, value, "DateTime", zoned[1]);
    }
    return convert(site, value, target);
  },
});

define(FUNCTIONS, ["toUnixTimestamp"], {
  translate(site) {
    arity(site, 1, 2);
    const value = site.arg(0);
    if (value.type.kind === "String") return { ...toDateTime(site, value, site.args.length > 1 ? zoneArg(site, 1, value) : undefined), type: UINT32 };
    if (!isTemporal(value.type)) throw illegalType(value.type, site.name);
    return { sql: value.sql, type: UINT32 };
  },
});

define(FUNCTIONS, ["toTimeZone", "toTimezone"], {
  translate(site) {
    arity(site, 2);
    const value = site.arg(0);
    if (value.type.kind !== "DateTime") throw illegalType(value.type, site.name);
    return { sql: value.sql, type: dateTimeType(zoneArg(site, 1, value)) };
  },
});
