/**
 * `range` of `get()`: an `R2Range` (`{offset, length}`, `{offset}`, `{length}`, `{suffix}`) or a
 * `Headers` carrying `Range: bytes=…`. Checked on the api side (workerd `initGetOptions`, client
 * errors), resolved against the object's size by stores (miniflare `validator.worker.ts` and
 * `shared/range.ts`, so results match `wrangler dev`: every range comes back as {offset, length}).
 *
 * Pure module: runs in the Worker realm and in Node alike.
 */
import { isHeaders } from "./conditional.js";
import { r2Error } from "./errors.js";
import type { R2ByteRange, R2RangeRequest } from "./store.js";

/** The `R2Range` of workers-types. */
export type R2Range = { offset: number; length?: number } | { offset?: number; length: number } | { suffix: number };

/** Checks a `range` option as workerd does before any I/O; undefined when there is none. */
export function parseRangeOption(range: unknown): R2RangeRequest | undefined {
  if (range === undefined || range === null) return undefined;
  if (isHeaders(range)) {
    const header = range.get("range");
    return header === null ? undefined : { header };
  }
  const r = range as { offset?: unknown; length?: unknown; suffix?: unknown };
  const out: { offset?: number; length?: number; suffix?: number } = {};
  if (r.offset !== undefined) {
    const offset = Number(r.offset);
    if (!(offset >= 0)) throw r2Error("offsetNegative", offset);
    if (!Number.isInteger(offset)) throw r2Error("offsetFractional", offset);
    out.offset = offset;
  }
  if (r.length !== undefined) {
    const length = Number(r.length);
    if (!(length >= 0)) throw r2Error("lengthNegative", length);
    if (!Number.isInteger(length)) throw r2Error("lengthFractional", length);
    out.length = length;
  }
  if (r.suffix !== undefined) {
    if (r.offset !== undefined) throw r2Error("suffixWithOffset");
    if (r.length !== undefined) throw r2Error("suffixWithLength");
    const suffix = Number(r.suffix);
    if (!(suffix >= 0)) throw r2Error("suffixNegative", suffix);
    if (!Number.isInteger(suffix)) throw r2Error("suffixFractional", suffix);
    out.suffix = suffix;
  }
  return out;
}

/**
 * The bytes a request selects from an object of `size` bytes: the whole object when there is no
 * request, and also for a Range header that is malformed, unsatisfiable or names several ranges
 * (as R2 does); "unsatisfiable" for an `R2Range` that selects nothing inside the object.
 */
export function resolveRange(request: R2RangeRequest | undefined, size: number): R2ByteRange | "unsatisfiable" {
  const whole = { offset: 0, length: size };
  if (request === undefined) return whole;
  if ("header" in request) return parseRangeHeader(request.header, size) ?? whole;
  let { offset, length } = request;
  const { suffix } = request;
  if (suffix !== undefined) {
    if (suffix <= 0) return "unsatisfiable";
    const take = Math.min(suffix, size);
    offset = size - take;
    length = take;
  }
  offset ??= 0;
  length ??= size - offset;
  if (offset < 0 || offset > size || length <= 0) return "unsatisfiable";
  return { offset, length: Math.min(length, size - offset) };
}

const RANGE_UNIT = /^ *bytes *=/i;
const ONE_RANGE = /^ *(?<start>\d+)? *- *(?<end>\d+)? *$/;

/** The single range a `Range` header names, or undefined (whole object) for anything else. */
function parseRangeHeader(header: string, size: number): R2ByteRange | undefined {
  const unit = RANGE_UNIT.exec(header);
  if (unit === null) return undefined;
  const specs = header.slice(unit[0].length);
  if (specs.trim() === "") return undefined;
  const ranges: R2ByteRange[] = [];
  for (const spec of specs.split(",")) {
    const groups = ONE_RANGE.exec(spec)?.groups;
    if (groups === undefined) return undefined;
    const start = groups["start"] === undefined ? undefined : Number(groups["start"]);
    const end = groups["end"] === undefined ? undefined : Number(groups["end"]);
    if (start !== undefined) {
      if (start >= size || (end !== undefined && start > end)) return undefined;
      const last = end === undefined ? size - 1 : Math.min(end, size - 1);
      ranges.push({ offset: start, length: last - start + 1 });
    } else if (end !== undefined) {
      if (end >= size) return undefined;
      if (end === 0) continue;
      ranges.push({ offset: size - end, length: end });
    } else {
      return undefined;
    }
  }
  return ranges.length === 1 ? ranges[0] : undefined;
}
