/** Parsers for flag values that carry a key and a value, with errors naming the flag. */
import { HearthError } from "../shared/errors.js";

/** Splits `KEY<sep>VALUE` values at the first separator (`--var A:B:C` is A = "B:C", as wrangler). */
export function keyValuePairs(values: readonly string[] | undefined, separator: ":" | "=", flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values ?? []) {
    const at = value.indexOf(separator);
    if (at <= 0) {
      throw new HearthError("ERR_FLAG", `${flag} expects KEY${separator}VALUE, but got "${value}".`, { flag });
    }
    out[value.slice(0, at)] = value.slice(at + 1);
  }
  return out;
}

/** A TCP port: an integer from 0 to 65535. */
export function portValue(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new HearthError("ERR_FLAG", `${flag} expects a port number from 0 to 65535, but got "${String(value)}".`, { flag });
  }
  return port;
}
