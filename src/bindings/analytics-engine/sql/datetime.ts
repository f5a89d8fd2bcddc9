/**
 * Calendar arithmetic on DateTime values (whole seconds since the UNIX epoch) in UTC or an IANA
 * time zone, for the date functions of the dialect: parsing and printing, `toStartOfInterval`,
 * adding months, picking fields for `formatDateTime` and `toYear`-style functions.
 *
 * Zone offsets come from `Intl.DateTimeFormat`; UTC skips it. A Date is represented as the DateTime
 * of its UTC midnight.
 */
import type { IntervalUnit } from "./ast.js";
import { AnalyticsSqlError } from "./errors.js";

const SECONDS_PER_MINUTE = 60;
const SECONDS_PER_HOUR = 3_600;
export const SECONDS_PER_DAY = 86_400;
const DAYS_PER_WEEK = 7;
const MONTHS_PER_QUARTER = 3;
const MONTHS_PER_YEAR = 12;
/** The SQL API's only default zone (`SHOW TIMEZONE`). */
export const DEFAULT_TIMEZONE = "Etc/UTC";
/** Day 0, 1970-01-01, was a Thursday: Monday-first weekday index 3. */
const EPOCH_WEEKDAY_FROM_MONDAY = 3;
const EPOCH_YEAR = 1970;

/** Seconds in one unit of the fixed-length interval units; MONTH, QUARTER, YEAR are calendar units. */
export const FIXED_UNIT_SECONDS: Readonly<Partial<Record<IntervalUnit, number>>> = {
  SECOND: 1, MINUTE: SECONDS_PER_MINUTE, HOUR: SECONDS_PER_HOUR, DAY: SECONDS_PER_DAY, WEEK: DAYS_PER_WEEK * SECONDS_PER_DAY,
};

/** Months in one unit of the calendar interval units. */
export const UNIT_MONTHS: Readonly<Partial<Record<IntervalUnit, number>>> = { MONTH: 1, QUARTER: MONTHS_PER_QUARTER, YEAR: MONTHS_PER_YEAR };

const UTC_NAMES = new Set(["UTC", "Etc/UTC", "GMT", "Etc/GMT", "Universal", "Etc/Universal", "Zulu", "Etc/Zulu"]);

export interface Civil {
  year: number;
  /** 1–12. */
  month: number;
  /** 1–31. */
  day: number;
}

/** Whole-day floor division that works for dates before 1970 too. */
function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = floorDiv(y, 400);
  const yoe = y - era * 400;
  const doy = floorDiv(153 * (month + (month > 2 ? -3 : 9)) + 2, 5) + day - 1;
  const doe = yoe * 365 + floorDiv(yoe, 4) - floorDiv(yoe, 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The date `days` after 1970-01-01. */
export function civilFromDays(days: number): Civil {
  const z = days + 719_468;
  const era = floorDiv(z, 146_097);
  const doe = z - era * 146_097;
  const yoe = floorDiv(doe - floorDiv(doe, 1460) + floorDiv(doe, 36_524) - floorDiv(doe, 146_096), 365);
  const doy = doe - (365 * yoe + floorDiv(yoe, 4) - floorDiv(yoe, 100));
  const mp = floorDiv(5 * doy + 2, 153);
  const day = doy - floorDiv(153 * mp + 2, 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function daysInMonth(year: number, month: number): number {
  return daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - daysFromCivil(year, month, 1);
}

// ---- time zones ----

const formatters = new Map<string, Intl.DateTimeFormat>();

function isUtc(timezone: string | undefined): boolean {
  return timezone === undefined || UTC_NAMES.has(timezone);
}

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat("en-US", {
        timeZone: timezone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric",
      });
    } catch {
      throw new AnalyticsSqlError(`Unknown time zone '${timezone}'`);
    }
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/** Throws AnalyticsSqlError unless `timezone` is a zone name the engine can use. */
export function checkTimezone(timezone: string): void {
  if (!isUtc(timezone)) formatterFor(timezone);
}

/** Every zone `SHOW TIMEZONES` lists. */
export function supportedTimezones(): string[] {
  return [...new Set([...Intl.supportedValuesOf("timeZone"), ...UTC_NAMES])].sort();
}

/** Offset of `timezone` from UTC at instant `seconds`, in seconds (east positive). */
export function zoneOffset(timezone: string | undefined, seconds: number): number {
  if (isUtc(timezone)) return 0;
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timezone!).formatToParts(new Date(seconds * 1000))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const wall = daysFromCivil(parts.year!, parts.month!, parts.day!) * SECONDS_PER_DAY + parts.hour! * SECONDS_PER_HOUR + parts.minute! * SECONDS_PER_MINUTE + parts.second!;
  return wall - Math.floor(seconds);
}

/** The wall-clock reading (as if UTC) of instant `seconds` in `timezone`. */
export function toWallClock(seconds: number, timezone: string | undefined): number {
  return seconds + zoneOffset(timezone, seconds);
}

/** The instant whose wall-clock reading in `timezone` is `wall`; a time skipped by DST moves forward. */
export function fromWallClock(wall: number, timezone: string | undefined): number {
  if (isUtc(timezone)) return wall;
  const first = wall - zoneOffset(timezone, wall);
  const second = wall - zoneOffset(timezone, first);
  if (toWallClock(second, timezone) === wall) return second;
  if (toWallClock(first, timezone) === wall) return first;
  // In a DST gap neither reads `wall`; the later candidate is the moment after the jump.
  return Math.max(first, second);
}

// ---- parsing and printing ----

const DATE_TIME_TEXT = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*$/;
const UNIX_SECONDS_TEXT = /^\s*\d+\s*$/;

/** Parses `YYYY-MM-DD[ hh:mm[:ss]]` (wall clock in `timezone`) or a string of UNIX seconds. */
export function parseDateTime(text: string, timezone: string | undefined): number {
  if (UNIX_SECONDS_TEXT.test(text)) return Number(text);
  const m = DATE_TIME_TEXT.exec(text);
  const [year, month, day, hour, minute, second] = m ? m.slice(1).map((v) => Number(v ?? 0)) : [];
  if (!m || month! < 1 || month! > 12 || day! < 1 || day! > daysInMonth(year!, month!) || hour! > 23 || minute! > 59 || second! > 59) {
    throw new AnalyticsSqlError(`Cannot parse '${text}' as DateTime: expected 'YYYY-MM-DD hh:mm:ss'`);
  }
  const wall = daysFromCivil(year!, month!, day!) * SECONDS_PER_DAY + hour! * SECONDS_PER_HOUR + minute! * SECONDS_PER_MINUTE + second!;
  return fromWallClock(wall, timezone);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

/** `YYYY-MM-DD hh:mm:ss` in `timezone`, as ClickHouse prints a DateTime. */
export function formatDateTimeValue(seconds: number, timezone: string | undefined): string {
  return formatDateTime(seconds, "%Y-%m-%d %H:%i:%S", timezone);
}

/** `YYYY-MM-DD`, as ClickHouse prints a Date. */
export function formatDateValue(seconds: number): string {
  return formatDateTime(seconds, "%Y-%m-%d", undefined);
}

/** Calendar fields of an instant's wall clock in a zone. */
export interface Fields extends Civil {
  hour: number;
  minute: number;
  second: number;
  /** Days since 1970-01-01 (wall clock). */
  dayNumber: number;
  /** 1 = Monday … 7 = Sunday. */
  isoWeekday: number;
  /** 1–366. */
  dayOfYear: number;
}

export function fields(seconds: number, timezone: string | undefined): Fields {
  const wall = toWallClock(Math.floor(seconds), timezone);
  const dayNumber = floorDiv(wall, SECONDS_PER_DAY);
  const secondOfDay = wall - dayNumber * SECONDS_PER_DAY;
  const civil = civilFromDays(dayNumber);
  return {
    ...civil,
    hour: Math.floor(secondOfDay / SECONDS_PER_HOUR),
    minute: Math.floor((secondOfDay % SECONDS_PER_HOUR) / SECONDS_PER_MINUTE),
    second: secondOfDay % SECONDS_PER_MINUTE,
    dayNumber,
    isoWeekday: ((((dayNumber + EPOCH_WEEKDAY_FROM_MONDAY) % DAYS_PER_WEEK) + DAYS_PER_WEEK) % DAYS_PER_WEEK) + 1,
    dayOfYear: dayNumber - daysFromCivil(civil.year, 1, 1) + 1,
  };
}

/** ISO 8601 week-numbering year and week of a date. */
function isoWeek(f: Fields): { year: number; week: number } {
  const thursday = f.dayNumber - f.isoWeekday + 4;
  const year = civilFromDays(thursday).year;
  return { year, week: Math.floor((thursday - daysFromCivil(year, 1, 1)) / DAYS_PER_WEEK) + 1 };
}

const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/** Printers of ClickHouse's `formatDateTime` specifiers (MySQL style, `%M` = month name, `%i` = minutes). */
const SPECIFIERS: Readonly<Record<string, (f: Fields, seconds: number, timezone: string | undefined) => string>> = {
  a: (f) => WEEKDAY_NAMES[f.isoWeekday - 1]!.slice(0, 3),
  b: (f) => MONTH_NAMES[f.month - 1]!.slice(0, 3),
  c: (f) => pad(f.month),
  C: (f) => pad(Math.floor(f.year / 100)),
  d: (f) => pad(f.day),
  D: (f) => `${pad(f.month)}/${pad(f.day)}/${pad(f.year % 100)}`,
  e: (f) => String(f.day).padStart(2, " "),
  f: () => "000000",
  F: (f) => `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}`,
  g: (f) => pad(isoWeek(f).year % 100),
  G: (f) => pad(isoWeek(f).year, 4),
  h: (f) => pad(((f.hour + 11) % 12) + 1),
  H: (f) => pad(f.hour),
  i: (f) => pad(f.minute),
  I: (f) => pad(((f.hour + 11) % 12) + 1),
  j: (f) => pad(f.dayOfYear, 3),
  k: (f) => String(f.hour).padStart(2, " "),
  l: (f) => String(((f.hour + 11) % 12) + 1).padStart(2, " "),
  m: (f) => pad(f.month),
  M: (f) => MONTH_NAMES[f.month - 1]!,
  n: () => "\n",
  p: (f) => (f.hour < 12 ? "AM" : "PM"),
  Q: (f) => String(Math.floor((f.month - 1) / MONTHS_PER_QUARTER) + 1),
  r: (f) => `${pad(((f.hour + 11) % 12) + 1)}:${pad(f.minute)} ${f.hour < 12 ? "AM" : "PM"}`,
  R: (f) => `${pad(f.hour)}:${pad(f.minute)}`,
  s: (f) => pad(f.second),
  S: (f) => pad(f.second),
  t: () => "\t",
  T: (f) => `${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}`,
  u: (f) => String(f.isoWeekday),
  V: (f) => pad(isoWeek(f).week),
  w: (f) => String(f.isoWeekday % DAYS_PER_WEEK),
  W: (f) => WEEKDAY_NAMES[f.isoWeekday - 1]!,
  y: (f) => pad(f.year % 100),
  Y: (f) => pad(f.year, 4),
  z: (_f, seconds, timezone) => {
    const offset = zoneOffset(timezone, seconds) / SECONDS_PER_MINUTE;
    return `${offset < 0 ? "-" : "+"}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`;
  },
  "%": () => "%",
};

/** Throws AnalyticsSqlError for a `formatDateTime` pattern with an unknown `%` specifier. */
export function checkDateTimeFormat(format: string): void {
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== "%") continue;
    const spec = format[++i];
    if (spec === undefined || !SPECIFIERS[spec]) {
      throw new AnalyticsSqlError(`formatDateTime: unsupported format specifier '%${spec ?? ""}' in '${format}'`);
    }
  }
}

/** ClickHouse `formatDateTime(seconds, format, timezone)`. */
export function formatDateTime(seconds: number, format: string, timezone: string | undefined): string {
  const f = fields(seconds, timezone);
  return format.replace(/%(.)/gs, (_, spec: string) => SPECIFIERS[spec]!(f, seconds, timezone));
}

// ---- rounding and calendar arithmetic ----

/** Whether `toStartOfInterval` with this unit yields a Date (it does for weeks and longer). */
export function startOfIntervalIsDate(unit: IntervalUnit): boolean {
  return unit === "WEEK" || UNIT_MONTHS[unit] !== undefined;
}

/**
 * ClickHouse `toStartOfInterval(t, INTERVAL amount unit, timezone)`: seconds and minutes round on
 * the wall clock from the epoch, hours within the day, days and weeks by day number (weeks start on
 * Monday), months and quarters by month number since 1970-01, years by year number. Returns a
 * DateTime for SECOND–DAY and a Date (UTC midnight) for WEEK–YEAR.
 */
export function startOfInterval(seconds: number, amount: number, unit: IntervalUnit, timezone: string | undefined): number {
  const wall = toWallClock(Math.floor(seconds), timezone);
  const dayNumber = floorDiv(wall, SECONDS_PER_DAY);
  switch (unit) {
    case "SECOND":
    case "MINUTE": {
      const step = amount * FIXED_UNIT_SECONDS[unit]!;
      return fromWallClock(floorDiv(wall, step) * step, timezone);
    }
    case "HOUR": {
      const dayStart = dayNumber * SECONDS_PER_DAY;
      const hour = Math.floor((wall - dayStart) / SECONDS_PER_HOUR);
      return fromWallClock(dayStart + Math.floor(hour / amount) * amount * SECONDS_PER_HOUR, timezone);
    }
    case "DAY":
      return fromWallClock(floorDiv(dayNumber, amount) * amount * SECONDS_PER_DAY, timezone);
    case "WEEK": {
      // The first Monday is day 4; weeks of `amount` count from there.
      const days = amount * DAYS_PER_WEEK;
      return (4 + floorDiv(dayNumber - 4, days) * days) * SECONDS_PER_DAY;
    }
    case "YEAR": {
      const { year } = civilFromDays(dayNumber);
      return daysFromCivil(floorDiv(year, amount) * amount, 1, 1) * SECONDS_PER_DAY;
    }
    default: {
      const { year, month } = civilFromDays(dayNumber);
      const months = amount * UNIT_MONTHS[unit]!;
      const index = floorDiv((year - EPOCH_YEAR) * MONTHS_PER_YEAR + month - 1, months) * months;
      const startYear = floorDiv(index, MONTHS_PER_YEAR);
      return daysFromCivil(EPOCH_YEAR + startYear, index - startYear * MONTHS_PER_YEAR + 1, 1) * SECONDS_PER_DAY;
    }
  }
}

/**
 * Adds `months` calendar months to a DateTime (keeping its wall-clock time in `timezone`) or to a
 * Date; a day past the end of the target month becomes its last day, as in ClickHouse.
 */
export function addMonths(seconds: number, months: number, timezone: string | undefined): number {
  const wall = toWallClock(Math.floor(seconds), timezone);
  const dayNumber = floorDiv(wall, SECONDS_PER_DAY);
  const { year, month, day } = civilFromDays(dayNumber);
  const index = year * MONTHS_PER_YEAR + month - 1 + months;
  const targetYear = floorDiv(index, MONTHS_PER_YEAR);
  const targetMonth = index - targetYear * MONTHS_PER_YEAR + 1;
  const targetDay = Math.min(day, daysInMonth(targetYear, targetMonth));
  const secondOfDay = wall - dayNumber * SECONDS_PER_DAY;
  return fromWallClock(daysFromCivil(targetYear, targetMonth, targetDay) * SECONDS_PER_DAY + secondOfDay, timezone);
}
