/**
 * Turns the text of a wrangler config file into a plain object. The format follows the file
 * extension: `.toml` → TOML; `.json` and `.jsonc` → JSON with comments and trailing commas (wrangler
 * accepts both in either). Syntax errors become ERR_CONFIG_PARSE naming file, line and column.
 *
 * TOML values are normalised so the result is plain JSON-clonable data: tables become ordinary
 * objects, dates and times become their ISO strings, big integers become numbers.
 */
import path from "node:path";
import jsonc, { type ParseError } from "jsonc-parser";
import { parse as parseToml, TomlDate, TomlError } from "smol-toml";
import { HearthError } from "../shared/errors.js";

export type ConfigFormat = "toml" | "jsonc";

/** The parser a config file needs, from its extension; undefined for anything else. */
export function formatOf(file: string): ConfigFormat | undefined {
  const ext = path.extname(file).toLowerCase();
  if (ext === ".toml") return "toml";
  if (ext === ".json" || ext === ".jsonc") return "jsonc";
  return undefined;
}

/**
 * Parses `text`, read from `file`. `displayPath` is how messages name the file (usually relative
 * to the cwd); `context.file` is always `file`. The root must be an object (table).
 */
export function parseConfigText(text: string, file: string, displayPath = file): Record<string, unknown> {
  const format = formatOf(file);
  if (format === undefined) {
    throw new HearthError(
      "ERR_CONFIG_PARSE",
      `${displayPath}: unsupported config file type "${path.extname(file)}"; expected .toml, .json or .jsonc`,
      { file },
    );
  }
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const value = format === "toml" ? parseTomlText(source, file, displayPath) : parseJsoncText(source, file, displayPath);
  if (!isPlainObject(value)) {
    throw new HearthError(
      "ERR_CONFIG_INVALID",
      `${displayPath}: the configuration should be an object but got ${Array.isArray(value) ? "an array" : JSON.stringify(value)}`,
      { file },
    );
  }
  return value;
}

function parseTomlText(source: string, file: string, displayPath: string): unknown {
  try {
    return normaliseToml(parseToml(source));
  } catch (error) {
    if (error instanceof TomlError) {
      // smol-toml's message is "Invalid TOML document: <reason>\n\n<code frame>".
      const [firstLine = "", ...rest] = error.message.split("\n");
      const reason = firstLine.replace(/^Invalid TOML document:\s*/, "");
      const frame = rest.join("\n").trim();
      throw new HearthError(
        "ERR_CONFIG_PARSE",
        `${displayPath}:${error.line}:${error.column}: invalid TOML: ${reason}` + (frame ? `\n\n${frame}` : ""),
        { file },
        { cause: error },
      );
    }
    throw error;
  }
}

function parseJsoncText(source: string, file: string, displayPath: string): unknown {
  const errors: ParseError[] = [];
  const value: unknown = jsonc.parse(source, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first !== undefined) {
    const { line, column } = lineColumn(source, first.offset);
    const reason = humanise(jsonc.printParseErrorCode(first.error));
    throw new HearthError("ERR_CONFIG_PARSE", `${displayPath}:${line}:${column}: invalid JSON: ${reason}`, { file });
  }
  return value;
}

/** 1-based line and column of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - (before.lastIndexOf("\n") + 1) + 1;
  return { line, column };
}

/** "CommaExpected" → "comma expected". */
function humanise(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}

function normaliseToml(value: unknown): unknown {
  if (value instanceof TomlDate) return value.toISOString();
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) return value.map(normaliseToml);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(out, key, { value: normaliseToml(item), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
