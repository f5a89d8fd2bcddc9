/** Date and time functions: now, today, toYear…toSecond, toStartOfInterval and toStartOf…, formatDateTime. */
import type { IntervalUnit } from "./ast.js";
import { checkDateTimeFormat, checkTimezone, FIXED_UNIT_SECONDS, SECONDS_PER_DAY, startOfIntervalIsDate } from "./datetime.js";
import { AnalyticsSqlError } from "./errors.js";
import { FN, type DatePart } from "./functions.js";
import { arity, constantNumber, constantString, define, temporal, zoneArg, type CallSite, type FunctionTable } from "./call-site.js";
import { integerSql, timezoneSql, type Typed } from "./typed.js";
import { DATE, dateTimeType, STRING, UINT16, UINT32, UINT8, type AeType } from "./types.js";

export const FUNCTIONS: FunctionTable = new Map();

define(FUNCTIONS, ["now"], {
  translate(site) {
    arity(site, 0, 1);
    const timezone = site.args.length > 0 ? constantString(site.arg(0), site, "the time zone") : undefined;
    if (timezone !== undefined) checkTimezone(timezone);
    return { sql: String(site.nowSeconds), type: dateTimeType(timezone), constant: site.nowSeconds };
  },
});

define(FUNCTIONS, ["today"], {
  translate(site) {
    arity(site, 0);
    const day = Math.floor(site.nowSeconds / SECONDS_PER_DAY) * SECONDS_PER_DAY;
    return { sql: String(day), type: DATE, constant: day };
  },
});

const DATE_PART_FUNCTIONS: readonly [string, DatePart, AeType][] = [
  ["toYear", "year", UINT16], ["toQuarter", "quarter", UINT8], ["toMonth", "month", UINT8], ["toDayOfMonth", "day", UINT8],
  ["toDayOfWeek", "dayOfWeek", UINT8], ["toDayOfYear", "dayOfYear", UINT16], ["toHour", "hour", UINT8], ["toMinute", "minute", UINT8],
  ["toSecond", "second", UINT8], ["toYYYYMM", "yyyymm", UINT32], ["toYYYYMMDD", "yyyymmdd", UINT32],
];

for (const [name, part, type] of DATE_PART_FUNCTIONS) {
  define(FUNCTIONS, [name], {
    translate(site) {
      arity(site, 1, 2);
      const value = temporal(site, 0);
      const zone = value.type.kind === "Date" ? undefined : zoneArg(site, 1, value);
      return { sql: integerSql(`${FN.datePart}(${value.sql}, '${part}', ${timezoneSql(zone)})`, type), type };
    },
  });
}

/** `toStartOfInterval` for a constant interval, with a SQL fast path where UTC rounding is plain division. */
function startOf(site: CallSite, value: Typed, amount: number, unit: IntervalUnit, timezone: string | undefined): { sql: string; type: AeType } {
  if (!Number.isInteger(amount) || amount < 1) throw new AnalyticsSqlError(`${site.name}: the interval must be a positive whole number, got ${amount}`);
  const type = startOfIntervalIsDate(unit) ? DATE : dateTimeType(timezone);
  const step = unit === "WEEK" ? undefined : FIXED_UNIT_SECONDS[unit];
  // DateTime values are non-negative integers, so SQLite's truncating division is a floor.
  const plain = timezone === undefined && step !== undefined && (unit !== "HOUR" || 24 % amount === 0);
  if (plain) return { sql: `((${value.sql} / ${step * amount}) * ${step * amount})`, type };
  return { sql: integerSql(`${FN.startOfInterval}(${value.sql}, ${amount}, '${unit}', ${timezoneSql(timezone)})`, type), type };
}

define(FUNCTIONS, ["toStartOfInterval"], {
  translate(site) {
    arity(site, 2, 3);
    const value = temporal(site, 0);
    const interval = site.arg(1);
    if (interval.type.kind !== "Interval") throw new AnalyticsSqlError(`${site.name}: the second argument must be an INTERVAL: ${site.text}`);
    const amount = constantNumber(interval.intervalAmount, site, "the interval");
    return startOf(site, value, amount, interval.type.unit, value.type.kind === "Date" ? undefined : zoneArg(site, 2, value));
  },
});

const START_OF_FUNCTIONS: readonly [string[], number, IntervalUnit][] = [
  [["toStartOfYear"], 1, "YEAR"], [["toStartOfQuarter"], 1, "QUARTER"], [["toStartOfMonth"], 1, "MONTH"],
  // Cloudflare documents toStartOfWeek as starting on Monday.
  [["toStartOfWeek", "toMonday"], 1, "WEEK"], [["toStartOfDay"], 1, "DAY"], [["toStartOfHour"], 1, "HOUR"],
  [["toStartOfFifteenMinutes"], 15, "MINUTE"], [["toStartOfTenMinutes"], 10, "MINUTE"],
  [["toStartOfFiveMinutes", "toStartOfFiveMinute"], 5, "MINUTE"], [["toStartOfMinute"], 1, "MINUTE"],
];

for (const [names, amount, unit] of START_OF_FUNCTIONS) {
  define(FUNCTIONS, names, {
    translate(site) {
      arity(site, 1, 2);
      const value = temporal(site, 0);
      return startOf(site, value, amount, unit, value.type.kind === "Date" ? undefined : zoneArg(site, 1, value));
    },
  });
}

define(FUNCTIONS, ["formatDateTime"], {
  translate(site) {
    arity(site, 2, 3);
    const value = temporal(site, 0);
    const format = constantString(site.arg(1), site, "the format");
    checkDateTimeFormat(format);
    const zone = value.type.kind === "Date" ? undefined : zoneArg(site, 2, value);
    return { sql: `${FN.formatDateTime}(${value.sql}, ${site.params.add(format)}, ${timezoneSql(zone)})`, type: STRING };
  },
});
