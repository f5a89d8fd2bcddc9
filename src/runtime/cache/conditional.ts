/**
 * What `cache.match()` answers for a request carrying conditions or a range, given the stored
 * entry (RFC 9110 sections 13 and 14, as Cloudflare's cache applies them):
 *
 * - `If-None-Match` (weak comparison, `*` matches any) → 304 when an ETag matches; else, when there
 *   is no If-None-Match, `If-Modified-Since` → 304 when Last-Modified is not later;
 * - `Range: bytes=…` with one satisfiable range → 206 with `Content-Range`; an unsatisfiable one →
 *   416 with `Content-Range: bytes *\/<size>`; several ranges, another unit or a malformed header →
 *   the whole body (200).
 *
 * Pure module.
 */
import { httpDate } from "./policy.js";

export type MatchAnswer =
  | { kind: "full" }
  | { kind: "not-modified" }
  | { kind: "partial"; offset: number; length: number }
  | { kind: "unsatisfiable" };

export function matchAnswer(request: Headers, stored: Headers, size: number): MatchAnswer {
  if (notModified(request, stored)) return { kind: "not-modified" };
  const range = request.get("range");
  if (range === null) return { kind: "full" };
  return parseRange(range, size);
}

function notModified(request: Headers, stored: Headers): boolean {
  const ifNoneMatch = request.get("if-none-match");
  if (ifNoneMatch !== null) {
    const etag = stored.get("etag");
    if (etag === null) return false;
    if (ifNoneMatch.trim() === "*") return true;
    const wanted = opaqueTag(etag);
    return ifNoneMatch.split(",").some((tag) => opaqueTag(tag) === wanted);
  }
  const since = httpDate(request.get("if-modified-since"));
  const lastModified = httpDate(stored.get("last-modified"));
  return since !== undefined && lastModified !== undefined && lastModified <= since;
}

/** The tag without its weakness flag, for the weak comparison If-None-Match uses. */
function opaqueTag(tag: string): string {
  const trimmed = tag.trim();
  return trimmed.startsWith("W/") ? trimmed.slice(2) : trimmed;
}

const BYTES_UNIT = /^\s*bytes\s*=\s*(.*)$/i;
const ONE_RANGE = /^(\d*)\s*-\s*(\d*)$/;

function parseRange(header: string, size: number): MatchAnswer {
  const unit = BYTES_UNIT.exec(header);
  if (unit === null) return { kind: "full" };
  const specs = unit[1]!.split(",").map((spec) => spec.trim());
  if (specs.length !== 1) return { kind: "full" };
  const parts = ONE_RANGE.exec(specs[0]!);
  if (parts === null || (parts[1] === "" && parts[2] === "")) return { kind: "full" };
  let start: number;
  let end: number;
  if (parts[1] === "") {
    const suffix = Number(parts[2]);
    if (suffix === 0) return { kind: "unsatisfiable" };
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(parts[1]);
    end = parts[2] === "" ? size - 1 : Math.min(Number(parts[2]), size - 1);
    if (end < start && parts[2] !== "") return { kind: "full" };
  }
  if (start >= size) return { kind: "unsatisfiable" };
  return { kind: "partial", offset: start, length: end - start + 1 };
}
