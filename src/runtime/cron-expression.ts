/**
 * Cron expressions as Cloudflare's Cron Triggers read them (the Quartz-like syntax of Cloudflare's
 * `saffron` parser; https://developers.cloudflare.com/workers/configuration/cron-triggers/):
 *
 *     minute  hour  day-of-month  month  day-of-week        all in UTC
 *     0-59    0-23  1-31          1-12   1-7 (1 = Sunday)
 *                                 JAN-DEC SUN-SAT           names in any case
 *
 * - every field: `*`, `a`, `a-b` (wrapping when a > b: `FRI-SUN`, `50-10`), `a/n` (from a to the
 *   field's maximum), `a-b/n`, `*\/n`, and lists of these joined by `,`;
 * - day of month also: `L` (last day), `L-n` (n days before it), `LW` / `L-nW` (the weekday nearest
 *   to it), `nW` (the weekday nearest to day n, never leaving the month);
 * - day of week also: `L` (Saturday), `xL` (the last x of the month), `x#n` (the n-th x, n = 1…5);
 * - `?` is accepted for `*` in the two day fields (Quartz's "no specific value");
 * - when both day fields are restricted, a day matches if either does (as in Unix cron).
 * Unix cron's 0 = Sunday does not apply: 0 is not a weekday here.
 *
 * Pure module.
 */

export interface CronExpression {
  /** The text it was parsed from. */
  readonly source: string;
  /** Whether the UTC minute containing `ms` (milliseconds since the epoch) is scheduled. */
  matches(ms: number): boolean;
  /** The start of the first scheduled minute after the minute containing `ms`, or null if none ever is. */
  nextAfter(ms: number): number | null;
}

/** A cron expression that does not parse; the message says which field and why. */
export class CronSyntaxError extends Error {
  override readonly name = "CronSyntaxError";
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** How far ahead `nextAfter` looks, in days: the Gregorian calendar repeats its weekdays every 28 years. */
const SEARCH_DAYS = 28 * 366 + 8;

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface FieldSpec {
  label: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MINUTE: FieldSpec = { label: "minute", min: 0, max: 59 };
const HOUR: FieldSpec = { label: "hour", min: 0, max: 23 };
const DAY_OF_MONTH: FieldSpec = { label: "day of month", min: 1, max: 31 };
const MONTH: FieldSpec = { label: "month", min: 1, max: 12, names: MONTHS };
const DAY_OF_WEEK: FieldSpec = { label: "day of week", min: 1, max: 7, names: WEEKDAYS };

type DaysOfMonth =
  | { kind: "any" }
  | { kind: "set"; days: Set<number> }
  | { kind: "last"; offset: number; weekday: boolean }
  | { kind: "nearest-weekday"; day: number };

/** Weekdays are 0 (Sunday) … 6 (Saturday), as `Date#getUTCDay`. */
type DaysOfWeek = { kind: "any" } | { kind: "set"; days: Set<number> } | { kind: "last"; day: number } | { kind: "nth"; day: number; nth: number };

export function parseCron(source: string): CronExpression {
  const fields = source.trim().split(/\s+/);
  if (fields.length !== 5 || fields[0] === "") {
    throw new CronSyntaxError(`"${source}" is not a cron expression: it needs 5 fields (minute hour day-of-month month day-of-week), not ${fields[0] === "" ? 0 : fields.length}.`);
  }
  const fail = (spec: FieldSpec, text: string, why: string): never => {
    throw new CronSyntaxError(`"${source}": invalid ${spec.label} "${text}": ${why}.`);
  };
  const minutes = parseList(fields[0]!, MINUTE, fail);
  const hours = parseList(fields[1]!, HOUR, fail);
  const daysOfMonth = parseDaysOfMonth(fields[2]!, fail);
  const months = parseList(fields[3]!, MONTH, fail);
  const daysOfWeek = parseDaysOfWeek(fields[4]!, fail);
  return new ParsedCron(source, minutes, hours, daysOfMonth, months, daysOfWeek);
}

type Fail = (spec: FieldSpec, text: string, why: string) => never;

/** A number or (for months and weekdays) a name, checked against the field's range. */
function parseValue(text: string, spec: FieldSpec, fail: Fail): number {
  if (/^\d+$/.test(text)) {
    const value = Number(text);
    if (value < spec.min || value > spec.max) fail(spec, text, `must be from ${spec.min} to ${spec.max}`);
    return value;
  }
  const index = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (index < 0) fail(spec, text, spec.names ? `not a number from ${spec.min} to ${spec.max} or a name (${spec.names[0]}…)` : `not a number from ${spec.min} to ${spec.max}`);
  return index + spec.min;
}

/** `*`, or a list of values, ranges and steps: the set of values it selects. */
function parseList(text: string, spec: FieldSpec, fail: Fail): Set<number> | "any" {
  if (text === "*") return "any";
  const values = new Set<number>();
  for (const item of text.split(",")) {
    if (item === "") fail(spec, text, "empty list item");
    const [range, stepText, extra] = item.split("/");
    if (extra !== undefined) fail(spec, item, "more than one '/'");
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText)) fail(spec, item, "the step must be a number");
      step = Number(stepText);
      if (step < 1 || step > spec.max - spec.min) fail(spec, item, `the step must be from 1 to ${spec.max - spec.min}`);
    }
    let start: number;
    let end: number;
    if (range === "*") [start, end] = [spec.min, spec.max];
    else {
      const [from, to, more] = range!.split("-");
      if (more !== undefined || from === "" || to === "") fail(spec, item, "a range is two values joined by '-'");
      start = parseValue(from!, spec, fail);
      end = to === undefined ? (stepText === undefined ? start : spec.max) : parseValue(to, spec, fail);
    }
    // A range that wraps (FRI-SUN, 50-10) runs to the maximum, then on from the minimum.
    const span = end >= start ? end - start : spec.max - start + 1 + end - spec.min;
    for (let i = 0; i <= span; i += step) values.add(((start - spec.min + i) % (spec.max - spec.min + 1)) + spec.min);
  }
  return values;
}

function parseDaysOfMonth(text: string, fail: Fail): DaysOfMonth {
  if (text === "*" || text === "?") return { kind: "any" };
  const upper = text.toUpperCase();
  const last = /^L(?:-(\d+))?(W?)$/.exec(upper);
  if (last) {
    const offset = last[1] === undefined ? 0 : Number(last[1]);
    if (offset > 30) fail(DAY_OF_MONTH, text, "the offset from the last day must be from 1 to 30");
    return { kind: "last", offset, weekday: last[2] === "W" };
  }
  const nearest = /^(\d+)W$/.exec(upper);
  if (nearest) return { kind: "nearest-weekday", day: parseValue(nearest[1]!, DAY_OF_MONTH, fail) };
  const days = parseList(text, DAY_OF_MONTH, fail);
  return days === "any" ? { kind: "any" } : { kind: "set", days };
}

function parseDaysOfWeek(text: string, fail: Fail): DaysOfWeek {
  if (text === "*" || text === "?") return { kind: "any" };
  const upper = text.toUpperCase();
  if (upper === "L") return { kind: "set", days: new Set([6]) };
  const last = /^([0-9A-Z]+)L$/.exec(upper);
  if (last) return { kind: "last", day: parseValue(last[1]!, DAY_OF_WEEK, fail) - 1 };
  const nth = /^([0-9A-Z]+)#(\d+)$/.exec(upper);
  if (nth) {
    const n = Number(nth[2]);
    if (n < 1 || n > 5) fail(DAY_OF_WEEK, text, "the week after '#' must be from 1 to 5");
    return { kind: "nth", day: parseValue(nth[1]!, DAY_OF_WEEK, fail) - 1, nth: n };
  }
  const days = parseList(text, DAY_OF_WEEK, fail);
  return days === "any" ? { kind: "any" } : { kind: "set", days: new Set([...days].map((d) => d - 1)) };
}

function daysInMonth(year: number, month0: number): number {
  return new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();
}

/** The weekday (0 = Sunday) of a day of the month. */
function weekdayOf(year: number, month0: number, day: number): number {
  return new Date(Date.UTC(year, month0, day)).getUTCDay();
}

/** The weekday nearest to `day` without leaving the month (Quartz's `W`). */
function nearestWeekday(year: number, month0: number, day: number, lastDay: number): number {
  const weekday = weekdayOf(year, month0, day);
  if (weekday === 6) return day === 1 ? 3 : day - 1;
  if (weekday === 0) return day === lastDay ? day - 2 : day + 1;
  return day;
}

class ParsedCron implements CronExpression {
  constructor(
    readonly source: string,
    private readonly minutes: Set<number> | "any",
    private readonly hours: Set<number> | "any",
    private readonly daysOfMonth: DaysOfMonth,
    private readonly months: Set<number> | "any",
    private readonly daysOfWeek: DaysOfWeek,
  ) {}

  matches(ms: number): boolean {
    const d = new Date(ms);
    return this.matchesDay(d) && has(this.hours, d.getUTCHours()) && has(this.minutes, d.getUTCMinutes());
  }

  nextAfter(ms: number): number | null {
    let t = Math.floor(ms / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
    const limit = t + SEARCH_DAYS * DAY_MS;
    while (t < limit) {
      const d = new Date(t);
      if (!this.matchesDay(d)) {
        t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
      } else if (!has(this.hours, d.getUTCHours())) {
        t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1);
      } else if (!has(this.minutes, d.getUTCMinutes())) {
        t += MINUTE_MS;
      } else {
        return t;
      }
    }
    return null;
  }

  private matchesDay(d: Date): boolean {
    if (!has(this.months, d.getUTCMonth() + 1)) return false;
    const anyDom = this.daysOfMonth.kind === "any";
    const anyDow = this.daysOfWeek.kind === "any";
    if (anyDom && anyDow) return true;
    if (anyDow) return this.matchesDayOfMonth(d);
    if (anyDom) return this.matchesDayOfWeek(d);
    return this.matchesDayOfMonth(d) || this.matchesDayOfWeek(d);
  }

  private matchesDayOfMonth(d: Date): boolean {
    const year = d.getUTCFullYear();
    const month0 = d.getUTCMonth();
    const day = d.getUTCDate();
    const lastDay = daysInMonth(year, month0);
    const spec = this.daysOfMonth;
    switch (spec.kind) {
      case "any":
        return true;
      case "set":
        return spec.days.has(day);
      case "last": {
        const target = lastDay - spec.offset;
        if (target < 1) return false;
        return day === (spec.weekday ? nearestWeekday(year, month0, target, lastDay) : target);
      }
      case "nearest-weekday":
        return spec.day <= lastDay && day === nearestWeekday(year, month0, spec.day, lastDay);
    }
  }

  private matchesDayOfWeek(d: Date): boolean {
    const weekday = d.getUTCDay();
    const day = d.getUTCDate();
    const spec = this.daysOfWeek;
    switch (spec.kind) {
      case "any":
        return true;
      case "set":
        return spec.days.has(weekday);
      case "last":
        return weekday === spec.day && day + 7 > daysInMonth(d.getUTCFullYear(), d.getUTCMonth());
      case "nth":
        return weekday === spec.day && Math.floor((day - 1) / 7) + 1 === spec.nth;
    }
  }
}

function has(set: Set<number> | "any", value: number): boolean {
  return set === "any" || set.has(value);
}
