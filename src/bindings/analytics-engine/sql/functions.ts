/**
 * The JavaScript half of the engine: SQLite user functions and aggregates for what SQLite cannot
 * express (ClickHouse's LIKE, calendar arithmetic, exact weighted quantiles, topK, …). translate.ts
 * emits calls to them by the names in `FN`; `registerAnalyticsFunctions` installs them on a
 * connection once.
 *
 * Arguments arrive as SQLite values (numbers, strings, null). Integer results come back from
 * JavaScript as REAL, so the translator wraps calls that yield integers in CAST(… AS INTEGER).
 */
import type { SqliteDatabase } from "../../../shared/sqlite.js";
import type { IntervalUnit } from "./ast.js";
import {
  addMonths, fields, formatDateTime, formatDateTimeValue, formatDateValue, fromWallClock, parseDateTime,
  SECONDS_PER_DAY, startOfInterval, toWallClock,
} from "./datetime.js";
import { AnalyticsSqlError } from "./errors.js";

/** SQL names of the functions below; the `ae_` prefix keeps them apart from anything else on the connection. */
export const FN = {
  like: "ae_like",
  startOfInterval: "ae_start_of_interval",
  addMonths: "ae_add_months",
  formatDateTime: "ae_format_datetime",
  dateTimeText: "ae_datetime_text",
  dateText: "ae_date_text",
  datePart: "ae_date_part",
  toDate: "ae_to_date",
  wallToInstant: "ae_wall_to_instant",
  parseDateTime: "ae_parse_datetime",
  toInt: "ae_to_int",
  toFloat: "ae_to_float",
  floatText: "ae_float_text",
  round: "ae_round",
  intDiv: "ae_int_div",
  fmod: "ae_fmod",
  lowerUtf8: "ae_lower_utf8",
  upperUtf8: "ae_upper_utf8",
  startsWith: "ae_starts_with",
  endsWith: "ae_ends_with",
  format: "ae_format",
  hex: "ae_hex",
  bin: "ae_bin",
  bitCount: "ae_bit_count",
  bitRotate: "ae_bit_rotate",
  quantileExactWeighted: "ae_quantile_exact_weighted",
  argMax: "ae_arg_max",
  argMin: "ae_arg_min",
  firstValue: "ae_first_value",
  lastValue: "ae_last_value",
  topK: "ae_top_k",
} as const;

/** Fields `ae_date_part` can pick, for toYear(), toMonth(), toYYYYMM(), …. */
export type DatePart = "year" | "quarter" | "month" | "day" | "dayOfWeek" | "dayOfYear" | "hour" | "minute" | "second" | "yyyymm" | "yyyymmdd";

/** How `ae_hex`/`ae_bin` read their argument: the bytes of a string, an integer, or a Float64. */
export type ByteSource = "string" | "int" | "float";

/** Kinds of `ae_round`. */
export type RoundMode = "round" | "floor" | "ceil";

type SqlValue = number | bigint | string | null;

const initialised = new WeakSet<SqliteDatabase>();
/** Compiled LIKE patterns; queries reuse a handful, so the cache is only cleared if it grows past this. */
const LIKE_CACHE_LIMIT = 1000;
const likeCache = new Map<string, RegExp>();
const BYTE_BITS = 8;

/** Installs the engine's functions on `db` (once per connection). */
export function registerAnalyticsFunctions(db: SqliteDatabase): void {
  if (initialised.has(db)) return;
  const fn = (name: string, impl: (...args: SqlValue[]) => SqlValue) => db.function(name, { deterministic: true, varargs: true }, impl);

  fn(FN.like, (value, pattern, caseInsensitive) => (likeRegExp(String(pattern), Boolean(caseInsensitive)).test(String(value ?? "")) ? 1 : 0));
  fn(FN.startOfInterval, (seconds, amount, unit, tz) => nullOr(seconds, (s) => startOfInterval(s, Number(amount), unit as IntervalUnit, zone(tz))));
  fn(FN.addMonths, (seconds, months, tz) => nullOr(seconds, (s) => addMonths(s, Number(months), zone(tz))));
  fn(FN.formatDateTime, (seconds, format, tz) => nullOr(seconds, (s) => formatDateTime(s, String(format), zone(tz))));
  fn(FN.dateTimeText, (seconds, tz) => nullOr(seconds, (s) => formatDateTimeValue(s, zone(tz))));
  fn(FN.dateText, (seconds) => nullOr(seconds, (s) => formatDateValue(s)));
  fn(FN.datePart, (seconds, part, tz) => nullOr(seconds, (s) => datePart(s, part as DatePart, zone(tz))));
  fn(FN.toDate, (seconds, tz) => nullOr(seconds, (s) => Math.floor(toWallClock(s, zone(tz)) / SECONDS_PER_DAY) * SECONDS_PER_DAY));
  fn(FN.wallToInstant, (seconds, tz) => nullOr(seconds, (s) => fromWallClock(s, zone(tz))));
  fn(FN.parseDateTime, (text, tz) => (text === null ? null : parseDateTime(String(text), zone(tz))));
  fn(FN.toInt, (value, bits, signed) => toInt(value, Number(bits), Boolean(signed)));
  fn(FN.toFloat, (value) => toFloat(value));
  fn(FN.floatText, (value) => floatText(value === null ? NaN : Number(value)));
  fn(FN.round, (value, digits, mode) => nullOr(value, (v) => roundTo(v, Number(digits), mode as RoundMode)));
  fn(FN.intDiv, (a, b) => intDiv(a, b));
  fn(FN.fmod, (a, b) => (a === null || b === null ? null : Number(a) % Number(b)));
  fn(FN.lowerUtf8, (s) => (s === null ? null : String(s).toLowerCase()));
  fn(FN.upperUtf8, (s) => (s === null ? null : String(s).toUpperCase()));
  fn(FN.startsWith, (s, prefix) => (String(s ?? "").startsWith(String(prefix ?? "")) ? 1 : 0));
  fn(FN.endsWith, (s, suffix) => (String(s ?? "").endsWith(String(suffix ?? "")) ? 1 : 0));
  fn(FN.format, (pattern, ...args) => formatString(String(pattern), args));
  fn(FN.hex, (value, source) => nullOr(value, () => bytesOf(value!, source as ByteSource).map((b) => b.toString(16).toUpperCase().padStart(2, "0")).join("")));
  fn(FN.bin, (value, source) => nullOr(value, () => bytesOf(value!, source as ByteSource).map((b) => b.toString(2).padStart(BYTE_BITS, "0")).join("")));
  fn(FN.bitCount, (value, source) => nullOr(value, () => bitCount(value!, source as ByteSource)));
  fn(FN.bitRotate, (value, n, bits, left) => nullOr(value, (v) => bitRotate(v, Number(n), Number(bits), Boolean(left))));

  registerAggregates(db);
  initialised.add(db);
}

/** An aggregate as SQLite runs it: a state per group, a step per row (one argument per SQL argument), a result. */
interface Aggregate<S> {
  start: () => S;
  step: (state: S, ...args: SqlValue[]) => void;
  result: (state: S) => SqlValue;
}

function defineAggregate<S>(db: SqliteDatabase, name: string, aggregate: Aggregate<S>): void {
  // @types/better-sqlite3 types `step` with a single argument; SQLite passes one per SQL argument.
  db.aggregate(name, { varargs: true, ...aggregate } as unknown as Parameters<SqliteDatabase["aggregate"]>[1]);
}

function registerAggregates(db: SqliteDatabase): void {
  // Exact weighted quantile: ClickHouse's QuantileExactWeighted. Equal values pool their weights
  // (weights are UInt64, so fractions are dropped); sorted by value, the answer is the first value
  // whose running weight reaches ceil(total × level); NaN values are skipped.
  defineAggregate(db, FN.quantileExactWeighted, {
    start: () => ({ level: 0.5, weights: new Map<number, number>() }),
    step: (state, level, value, weight) => {
      state.level = Number(level);
      if (value === null || Number.isNaN(Number(value))) return;
      const v = Number(value);
      state.weights.set(v, (state.weights.get(v) ?? 0) + Math.max(0, Math.trunc(Number(weight ?? 0))));
    },
    result: (state) => quantileExactWeighted(state.weights, state.level),
  });

  // argMax/argMin keep the first row holding the extreme, which ClickHouse leaves unspecified.
  for (const [name, better] of [[FN.argMax, (a: SqlValue, b: SqlValue) => a! > b!], [FN.argMin, (a: SqlValue, b: SqlValue) => a! < b!]] as const) {
    defineAggregate(db, name, {
      start: () => ({ has: false, arg: null as SqlValue, value: null as SqlValue }),
      step: (state, arg, value) => {
        if (value === null || value === undefined) return;
        if (!state.has || better(value, state.value)) Object.assign(state, { has: true, arg, value });
      },
      result: (state) => state.arg,
    });
  }

  defineAggregate(db, FN.firstValue, {
    start: () => ({ has: false, value: null as SqlValue }),
    step: (state, value) => {
      if (!state.has) Object.assign(state, { has: true, value });
    },
    result: (state) => state.value,
  });
  defineAggregate(db, FN.lastValue, {
    start: () => ({ value: null as SqlValue }),
    step: (state, value) => {
      state.value = value ?? null;
    },
    result: (state) => state.value,
  });

  // topK(N)(x) and topKWeighted(N)(x, w): exact counts (ClickHouse approximates only past its
  // table size), most frequent first, ties in order of first appearance; a JSON array.
  defineAggregate(db, FN.topK, {
    start: () => ({ n: 0, counts: new Map<SqlValue, number>() }),
    step: (state, n, value, weight) => {
      state.n = Number(n);
      const w = weight === undefined ? 1 : Math.max(0, Math.trunc(Number(weight ?? 0)));
      state.counts.set(value ?? null, (state.counts.get(value ?? null) ?? 0) + w);
    },
    result: (state) => JSON.stringify([...state.counts].sort((a, b) => b[1] - a[1]).slice(0, state.n).map(([value]) => value)),
  });
}

/** ClickHouse QuantileExactWeighted::get over pooled weights; NaN (SQL NULL) when empty. */
export function quantileExactWeighted(weights: ReadonlyMap<number, number>, level: number): number | null {
  if (weights.size === 0) return null;
  const sorted = [...weights].sort((a, b) => a[0] - b[0]);
  let total = 0;
  for (const [, w] of sorted) total += w;
  const threshold = Math.ceil(total * level);
  let accumulated = 0;
  for (const [value, w] of sorted) {
    accumulated += w;
    if (accumulated >= threshold) return value;
  }
  return sorted[sorted.length - 1]![0];
}

function nullOr<T>(value: SqlValue, f: (v: number) => T): T | null {
  return value === null ? null : f(Number(value));
}

function zone(tz: SqlValue): string | undefined {
  return tz === null ? undefined : String(tz);
}

/** A ClickHouse LIKE pattern as a RegExp: `%` any run, `_` one character, `\` escapes the next. */
function likeRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  const key = `${caseInsensitive ? "i" : "s"}:${pattern}`;
  let re = likeCache.get(key);
  if (!re) {
    let source = "";
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i]!;
      if (c === "\\" && i + 1 < pattern.length) source += escapeRegExp(pattern[++i]!);
      else if (c === "%") source += "[\\s\\S]*";
      else if (c === "_") source += "[\\s\\S]";
      else source += escapeRegExp(c);
    }
    re = new RegExp(`^${source}$`, caseInsensitive ? "iu" : "u");
    if (likeCache.size >= LIKE_CACHE_LIMIT) likeCache.clear();
    likeCache.set(key, re);
  }
  return re;
}

function escapeRegExp(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

function datePart(seconds: number, part: DatePart, tz: string | undefined): number {
  const f = fields(seconds, tz);
  switch (part) {
    case "year": return f.year;
    case "quarter": return Math.floor((f.month - 1) / 3) + 1;
    case "month": return f.month;
    case "day": return f.day;
    case "dayOfWeek": return f.isoWeekday;
    case "dayOfYear": return f.dayOfYear;
    case "hour": return f.hour;
    case "minute": return f.minute;
    case "second": return f.second;
    case "yyyymm": return f.year * 100 + f.month;
    case "yyyymmdd": return (f.year * 100 + f.month) * 100 + f.day;
  }
}

/** toUInt8…toInt64: truncates toward zero and wraps around like ClickHouse; text must be an integer. */
function toInt(value: SqlValue, bits: number, signed: boolean): bigint | null {
  if (value === null) return null;
  let n: bigint;
  if (typeof value === "string") {
    if (!/^\s*[-+]?\d+\s*$/.test(value)) throw new AnalyticsSqlError(`Cannot parse '${value}' as ${signed ? "Int" : "UInt"}${bits}`);
    n = BigInt(value.trim());
  } else if (typeof value === "bigint") {
    n = value;
  } else {
    n = Number.isFinite(value) ? BigInt(Math.trunc(value)) : 0n;
  }
  return signed ? BigInt.asIntN(bits, n) : BigInt.asUintN(bits, n);
}

function toFloat(value: SqlValue): number | null {
  if (value === null || typeof value !== "string") return value === null ? null : Number(value);
  const text = value.trim().toLowerCase();
  if (text === "inf" || text === "+inf") return Infinity;
  if (text === "-inf") return -Infinity;
  const n = Number(text);
  if (text === "" || (Number.isNaN(n) && text !== "nan")) throw new AnalyticsSqlError(`Cannot parse '${value}' as Float64`);
  return n;
}

/** A Float64 as ClickHouse prints it: `nan`, `inf`, `-inf`, `1e21` (no `+` in the exponent). */
export function floatText(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  return String(value).replace("e+", "e");
}

/** round (to even on ties, as ClickHouse does for floats), floor and ceil to `digits` decimals. */
function roundTo(value: number, digits: number, mode: RoundMode): number {
  const scale = 10 ** digits;
  const scaled = value * scale;
  let r: number;
  if (mode === "floor") r = Math.floor(scaled);
  else if (mode === "ceil") r = Math.ceil(scaled);
  else {
    r = Math.round(scaled);
    if (Math.abs(scaled % 1) === 0.5 && r % 2 !== 0) r -= 1;
  }
  return r / scale;
}

function intDiv(a: SqlValue, b: SqlValue): number | null {
  if (a === null || b === null) return null;
  const divisor = Number(b);
  if (Math.trunc(divisor) === 0) throw new AnalyticsSqlError("Division by zero in intDiv");
  return Math.trunc(Number(a) / divisor);
}

/** ClickHouse `format`: `{}` takes the next argument, `{n}` argument n (0-based). */
function formatString(pattern: string, args: SqlValue[]): string {
  let next = 0;
  return pattern.replace(/\{(\d*)\}/g, (_, index: string) => {
    const i = index === "" ? next++ : Number(index);
    if (i >= args.length) throw new AnalyticsSqlError(`format: pattern '${pattern}' needs more arguments than the ${args.length} given`);
    return String(args[i] ?? "");
  });
}

/** The bytes ClickHouse's hex/bin print: UTF-8 of a string, big-endian minimal bytes of an integer, IEEE-754 little-endian of a float. */
function bytesOf(value: number | bigint | string, source: ByteSource): number[] {
  if (source === "string") return [...Buffer.from(String(value), "utf8")];
  if (source === "float") {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, Number(value), true);
    return [...new Uint8Array(view.buffer)];
  }
  let n = BigInt.asUintN(64, BigInt(value));
  const bytes: number[] = [];
  do {
    bytes.unshift(Number(n & 0xffn));
    n >>= 8n;
  } while (n > 0n);
  return bytes;
}

function bitCount(value: number | bigint | string, source: ByteSource): number {
  let count = 0;
  for (const b of bytesOf(value, source)) for (let x = b; x; x &= x - 1) count++;
  return count;
}

function bitRotate(value: number, n: number, bits: number, left: boolean): bigint {
  const width = BigInt(bits);
  const v = BigInt.asUintN(bits, BigInt(Math.trunc(value)));
  const shift = BigInt(((n % bits) + bits) % bits);
  const rotated = left ? (v << shift) | (v >> (width - shift)) : (v >> shift) | (v << (width - shift));
  return BigInt.asUintN(bits, rotated);
}
