/**
 * Parsing of `Cache-Control` (RFC 9111 section 5.2): directive names lower-cased, values
 * unquoted; a directive without a value maps to "". `private="Set-Cookie"` keeps its field list.
 *
 * Pure module.
 */
export type CacheDirectives = Map<string, string>;

export function parseCacheControl(header: string | null): CacheDirectives {
  const directives: CacheDirectives = new Map();
  if (header === null) return directives;
  for (const part of splitOutsideQuotes(header)) {
    const eq = part.indexOf("=");
    const name = (eq === -1 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (name === "") continue;
    let value = eq === -1 ? "" : part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (!directives.has(name)) directives.set(name, value);
  }
  return directives;
}

/** A delta-seconds directive value; undefined when absent or not a number. */
export function deltaSeconds(directives: CacheDirectives, name: string): number | undefined {
  const value = directives.get(name);
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/** The lower-cased header names of a field list (`private="set-cookie, x-a"`, `Vary: a, b`). */
export function fieldNames(list: string): string[] {
  return list
    .split(",")
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== "");
}

function splitOutsideQuotes(header: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (const char of header) {
    if (char === '"') quoted = !quoted;
    if (char === "," && !quoted) {
      parts.push(current);
      current = "";
    } else current += char;
  }
  parts.push(current);
  return parts;
}
