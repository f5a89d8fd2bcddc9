/**
 * The ClickHouse functions of Cloudflare's dialect, by lower-cased name (function names are
 * case-insensitive in the SQL API). Each definition translates a call into SQLite SQL and a
 * result type; the definitions live in the *-functions.ts files by family.
 */
import { FUNCTIONS as AGGREGATE_FUNCTIONS } from "./aggregate-functions.js";
import type { FunctionDef } from "./call-site.js";
import { FUNCTIONS as CONVERSION_FUNCTIONS } from "./conversion-functions.js";
import { FUNCTIONS as DATE_FUNCTIONS } from "./date-functions.js";
import { FUNCTIONS as SCALAR_FUNCTIONS } from "./scalar-functions.js";

export type { CallSite, FunctionDef } from "./call-site.js";

const FUNCTIONS = new Map<string, FunctionDef>([...AGGREGATE_FUNCTIONS, ...SCALAR_FUNCTIONS, ...CONVERSION_FUNCTIONS, ...DATE_FUNCTIONS]);

/** The definition of function `name`, matched case-insensitively. */
export function lookupFunction(name: string): FunctionDef | undefined {
  return FUNCTIONS.get(name.toLowerCase());
}
