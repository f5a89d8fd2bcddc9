/**
 * Writes result rows in the SQL API's output formats, the way ClickHouse writes them:
 *
 * - JSON: `{"meta":[{name,type}],"data":[{…}],"rows":N,"rows_before_limit_at_least":M}`. 64-bit
 *   integers (count(), sum() of integers) are strings, as in Cloudflare's responses; NaN and ±inf
 *   are null; DateTimes are `YYYY-MM-DD hh:mm:ss` text.
 * - JSONEachRow: one such data object per line.
 * - TabSeparated: no header, values tab-separated with ClickHouse's backslash escapes.
 *
 * SQLite has no NULL-free guarantee where ClickHouse does (SUM of nothing, x / 0), so a NULL prints
 * as its type's default value, except a Float64 NULL which is NaN (0 / 0 in ClickHouse).
 */
import type { OutputFormat } from "./ast.js";
import { formatDateTimeValue, formatDateValue } from "./datetime.js";
import { floatText } from "./functions.js";
import type { ResultColumn } from "./translate.js";
import { isQuotedInJson, typeName, type AeType } from "./types.js";

export interface FormattedResult {
  contentType: string;
  body: string;
}

/** Content types ClickHouse's HTTP interface sends for each format. */
const CONTENT_TYPES: Readonly<Record<OutputFormat, string>> = {
  JSON: "application/json; charset=UTF-8",
  JSONEachRow: "application/x-ndjson; charset=UTF-8",
  TabSeparated: "text/tab-separated-values; charset=UTF-8",
};

/** ClickHouse's escapes for text in TabSeparated output (and for quoted strings inside arrays). */
const TSV_ESCAPES: Readonly<Record<string, string>> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\b": "\\b", "\f": "\\f", "\0": "\\0", "'": "\\'" };

/**
 * Formats `rows` (arrays of SQLite values in column order). `rowsBeforeLimit` is the number of
 * rows the query had before LIMIT/OFFSET.
 */
export function formatResult(format: OutputFormat, columns: readonly ResultColumn[], rows: readonly unknown[][], rowsBeforeLimit: number): FormattedResult {
  const contentType = CONTENT_TYPES[format];
  if (format === "TabSeparated") {
    return { contentType, body: rows.map((row) => columns.map((c, i) => tsvValue(row[i], c.type)).join("\t") + "\n").join("") };
  }
  const names = columns.map((c) => JSON.stringify(c.name));
  // Objects are written by hand: duplicate column names stay, as in ClickHouse's output.
  const objects = rows.map((row) => `{${columns.map((c, i) => `${names[i]}:${jsonValue(row[i], c.type)}`).join(",")}}`);
  if (format === "JSONEachRow") return { contentType, body: objects.map((o) => o + "\n").join("") };
  const meta = columns.map((c) => ({ name: c.name, type: typeName(c.type) }));
  const body = `{"meta":${JSON.stringify(meta)},"data":[${objects.join(",")}],"rows":${rows.length},"rows_before_limit_at_least":${rowsBeforeLimit}}\n`;
  return { contentType, body };
}

/** A SQLite value as an integer of `type`, wrapped into its range as ClickHouse integers wrap. */
function integerText(value: unknown, type: AeType & { kind: "Int" }): string {
  const number = Number(value ?? 0);
  const n = typeof value === "bigint" ? value : BigInt(Number.isFinite(number) ? Math.trunc(number) : 0);
  return (type.signed ? BigInt.asIntN(type.bits, n) : BigInt.asUintN(type.bits, n)).toString();
}

function seconds(value: unknown): number {
  return Number(value ?? 0);
}

function jsonValue(value: unknown, type: AeType): string {
  switch (type.kind) {
    case "String":
      return JSON.stringify(String(value ?? ""));
    case "Int": {
      const text = integerText(value, type);
      return isQuotedInJson(type) ? `"${text}"` : text;
    }
    case "Float64": {
      const n = value === null ? NaN : Number(value);
      return Number.isFinite(n) ? JSON.stringify(n) : "null";
    }
    case "Bool":
      return Number(value) ? "true" : "false";
    case "DateTime":
      return JSON.stringify(formatDateTimeValue(seconds(value), type.timezone));
    case "Date":
      return JSON.stringify(formatDateValue(seconds(value)));
    case "Array":
      return `[${elements(value).map((e) => jsonValue(e, type.element)).join(",")}]`;
    case "Nothing":
    case "Interval":
      return "null";
  }
}

function tsvValue(value: unknown, type: AeType): string {
  switch (type.kind) {
    case "String":
      return escapeText(String(value ?? ""));
    case "Array":
      return `[${elements(value).map((e) => quotedValue(e, type.element)).join(",")}]`;
    case "Nothing":
    case "Interval":
      return "\\N";
    default:
      return plainValue(value, type);
  }
}

/** A value inside an array: strings and dates in single quotes, numbers bare. */
function quotedValue(value: unknown, type: AeType): string {
  if (type.kind === "String" || type.kind === "DateTime" || type.kind === "Date") return `'${escapeText(plainValue(value, type))}'`;
  if (type.kind === "Array") return tsvValue(value, type);
  return plainValue(value, type);
}

function plainValue(value: unknown, type: AeType): string {
  switch (type.kind) {
    case "Int":
      return integerText(value, type);
    case "Float64":
      return floatText(value === null ? NaN : Number(value));
    case "Bool":
      return Number(value) ? "true" : "false";
    case "DateTime":
      return formatDateTimeValue(seconds(value), type.timezone);
    case "Date":
      return formatDateValue(seconds(value));
    default:
      return String(value ?? "");
  }
}

function escapeText(text: string): string {
  return text.replace(/[\\\t\n\r\b\f\0']/g, (c) => TSV_ESCAPES[c]!);
}

/** The elements of an Array value, kept in SQLite as JSON text. */
function elements(value: unknown): unknown[] {
  return typeof value === "string" ? (JSON.parse(value) as unknown[]) : [];
}
