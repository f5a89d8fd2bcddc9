/**
 * `onlyIf`: an `R2Conditional` or a `Headers` with If-Match / If-None-Match / If-Modified-Since /
 * If-Unmodified-Since, parsed into plain data (`R2Condition`) on the api side, and evaluated by
 * stores against the object they hold.
 *
 * Parsing follows workerd `r2-bucket.c++` (`UnwrappedConditional`, `parseConditionalEtagHeader`);
 * evaluation follows R2's gateway as wrangler's simulator reproduces it (miniflare
 * `src/workers/r2/validator.worker.ts`, RFC 7232 section 6 precedence).
 *
 * Pure module: runs in the Worker realm and in Node alike.
 */
import { r2Error } from "./errors.js";
import type { R2Condition, R2Etag } from "./store.js";

/** The `R2Conditional` dictionary of workers-types. */
export interface R2Conditional {
  etagMatches?: string;
  etagDoesNotMatch?: string;
  uploadedBefore?: Date;
  uploadedAfter?: Date;
  secondsGranularity?: boolean;
}

/** Parses `onlyIf`; undefined/null give no condition. Headers are recognised by brand. */
export function parseConditional(onlyIf: unknown): R2Condition | undefined {
  if (onlyIf === undefined || onlyIf === null) return undefined;
  if (isHeaders(onlyIf)) return fromHeaders(onlyIf);
  const c = onlyIf as R2Conditional;
  const condition: R2Condition = {};
  if (c.secondsGranularity) condition.secondsGranularity = true;
  if (c.etagMatches !== undefined) condition.etagMatches = singleEtag(String(c.etagMatches));
  if (c.etagDoesNotMatch !== undefined) condition.etagDoesNotMatch = singleEtag(String(c.etagDoesNotMatch));
  if (c.uploadedAfter !== undefined) condition.uploadedAfterMs = toMs(c.uploadedAfter);
  if (c.uploadedBefore !== undefined) condition.uploadedBeforeMs = toMs(c.uploadedBefore);
  return condition;
}

/** Headers always compare upload times at one-second resolution (HTTP dates have no more). */
function fromHeaders(headers: Headers): R2Condition {
  const condition: R2Condition = { secondsGranularity: true };
  const ifMatch = headers.get("if-match");
  if (ifMatch !== null) condition.etagMatches = parseEtagHeader(ifMatch);
  const ifNoneMatch = headers.get("if-none-match");
  if (ifNoneMatch !== null) condition.etagDoesNotMatch = parseEtagHeader(ifNoneMatch);
  const ifModifiedSince = headers.get("if-modified-since");
  if (ifModifiedSince !== null) condition.uploadedAfterMs = Date.parse(ifModifiedSince);
  const ifUnmodifiedSince = headers.get("if-unmodified-since");
  if (ifUnmodifiedSince !== null) condition.uploadedBeforeMs = Date.parse(ifUnmodifiedSince);
  return condition;
}

function singleEtag(value: string): R2Etag[] {
  if (value.startsWith('"') && value.endsWith('"') && value.length >= 1) throw r2Error("quotedEtag", value);
  return value === "*" ? [{ type: "wildcard" }] : [{ type: "strong", value }];
}

function toMs(date: unknown): number {
  return date instanceof Date || Object.prototype.toString.call(date) === "[object Date]"
    ? (date as Date).getTime()
    : new Date(date as string | number).getTime();
}

/**
 * An If-Match / If-None-Match value: `*`, or a comma-separated list of `"strong"` and `W/"weak"`
 * tags (empty list elements allowed). A `*` anywhere replaces the list.
 */
export function parseEtagHeader(header: string): R2Etag[] {
  const etags: R2Etag[] = [];
  let rest = header;
  let commaRequired = false;
  for (;;) {
    const wildcard = indexOr(rest, "*");
    const quote = indexOr(rest, '"');
    const weak = indexOr(rest, "W");
    const comma = indexOr(rest, ",");
    if (quote === Infinity && wildcard === Infinity) return etags;
    if (comma < wildcard && comma < quote && comma < weak) {
      rest = rest.slice(comma + 1);
      commaRequired = false;
      continue;
    }
    if (commaRequired) {
      const first = Math.min(wildcard, quote, weak);
      throw r2Error(
        "etagCommaExpected",
        first === wildcard
          ? "Encountered a wildcard character '*' instead."
          : first === quote
            ? "Encountered a double quote character '\"' instead. This would otherwise indicate the start of a new strong etag."
            : "Encountered a weak quotation character 'W' instead. This would otherwise indicate the start of a new weak etag.",
      );
    }
    if (wildcard < quote) return [{ type: "wildcard" }];
    const close = rest.indexOf('"', quote + 1);
    if (close === -1) throw r2Error("etagUnclosedQuote");
    const value = rest.slice(quote + 1, close);
    if (weak < quote) {
      if (!(rest.length > weak + 2 && rest[weak + 1] === "/" && weak + 2 === quote)) throw r2Error("weakEtagMalformed");
      etags.push({ type: "weak", value });
    } else {
      etags.push({ type: "strong", value });
    }
    rest = rest.slice(close + 1);
    commaRequired = true;
  }
}

function indexOr(text: string, char: string): number {
  const i = text.indexOf(char);
  return i === -1 ? Infinity : i;
}

function includesEtag(tags: readonly R2Etag[], etag: string, comparison: "strong" | "weak"): boolean {
  for (const tag of tags) {
    if (tag.type === "wildcard") return true;
    if (tag.value === etag && (tag.type === "strong" || comparison === "weak")) return true;
  }
  return false;
}

/**
 * Whether `condition` holds for `object` (null: no object under the key). For a missing object only
 * `etagMatches` and `uploadedAfter` fail, so `etagDoesNotMatch: "*"` is create-if-absent.
 * If-Match wins over If-Unmodified-Since and If-None-Match over If-Modified-Since (RFC 7232 §6).
 */
export function conditionHolds(condition: R2Condition, object: { etag: string; uploadedMs: number } | null): boolean {
  if (object === null) return condition.etagMatches === undefined && condition.uploadedAfterMs === undefined;
  const t = condition.secondsGranularity ? (ms: number) => Math.floor(ms / 1000) * 1000 : (ms: number) => ms;
  const uploaded = t(object.uploadedMs);
  const ifMatch = condition.etagMatches === undefined || includesEtag(condition.etagMatches, object.etag, "strong");
  const ifNoneMatch = condition.etagDoesNotMatch === undefined || !includesEtag(condition.etagDoesNotMatch, object.etag, "weak");
  const ifModifiedSince =
    condition.uploadedAfterMs === undefined ||
    t(condition.uploadedAfterMs) < uploaded ||
    (condition.etagDoesNotMatch !== undefined && ifNoneMatch);
  const ifUnmodifiedSince =
    condition.uploadedBeforeMs === undefined ||
    uploaded < t(condition.uploadedBeforeMs) ||
    (condition.etagMatches !== undefined && ifMatch);
  return ifMatch && ifNoneMatch && ifModifiedSince && ifUnmodifiedSince;
}

/** Recognises a `Headers` by brand (any realm). */
export function isHeaders(value: unknown): value is Headers {
  return (
    value instanceof Headers ||
    (Object.prototype.toString.call(value) === "[object Headers]" && typeof (value as Headers).get === "function")
  );
}
