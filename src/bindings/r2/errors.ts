/**
 * Every error R2 user code can see is made here, by r2Error(), with Cloudflare's type and wording.
 *
 * Two families, as on Cloudflare:
 * - **Backend failures** (R2 answered with an error): a plain `Error` whose message is
 *   `<operation>: <message> (<v4 code>)` — workerd's `R2Result::throwIfError`, with the messages and
 *   codes of wrangler's local simulator (miniflare `src/workers/r2/errors.worker.ts`).
 * - **Argument checks** workerd makes before any I/O (`r2-bucket.c++`, `r2-multipart.c++`):
 *   TypeError / RangeError / Error with workerd's text.
 *
 * Pure module: runs in the Worker realm (the errors are made with that realm's constructors).
 */
import { R2_MAX_DELETE_KEYS, R2_MAX_MULTIPART_PARTS } from "./limits.js";
import type { R2Failure } from "./store.js";

/** The operation word workerd puts in front of a backend failure. */
export type R2Operation =
  | "head"
  | "get"
  | "put"
  | "delete"
  | "list"
  | "createMultipartUpload"
  | "uploadPart"
  | "completeMultipartUpload"
  | "abortMultipartUpload";

/** A hash algorithm as R2 names it in messages. */
export type R2HashName = "MD5" | "SHA-1" | "SHA-256" | "SHA-384" | "SHA-512";

function failed(op: R2Operation, message: string, code: number, cause?: unknown): Error {
  const text = `${op}: ${message} (${code})`;
  return cause === undefined ? new Error(text) : new Error(text, { cause });
}

const R2_ERRORS = {
  // Backend failures: R2's v4 error codes.
  internal: (op: R2Operation, cause?: unknown) => failed(op, "We encountered an internal error. Please try again.", 10001, cause),
  noSuchKey: (op: R2Operation) => failed(op, "The specified key does not exist.", 10007),
  entityTooSmall: (op: R2Operation) =>
    failed(op, "Your proposed upload is smaller than the minimum allowed object size.", 10011),
  metadataTooLarge: (op: R2Operation) =>
    failed(op, "Your metadata headers exceed the maximum allowed metadata size.", 10012),
  invalidObjectName: (op: R2Operation) => failed(op, "The specified object name is not valid.", 10020),
  invalidMaxKeys: (op: R2Operation) => failed(op, "MaxKeys params must be positive integer <= 1000.", 10022),
  noSuchUpload: (op: R2Operation) => failed(op, "The specified multipart upload does not exist.", 10024),
  invalidPart: (op: R2Operation) => failed(op, "One or more of the specified parts could not be found.", 10025),
  /** Cloudflare documents the limit but not its wording; this message is Hearth's. */
  tooManyDeleteKeys: (count: number) =>
    failed("delete", `You can delete at most ${R2_MAX_DELETE_KEYS} keys in one call, not ${count}.`, 10029),
  badDigest: (op: R2Operation, algorithm: R2HashName, providedHex: string, actualHex: string) =>
    failed(
      op,
      [
        `The ${algorithm} checksum you specified did not match what we received.`,
        `You provided a ${algorithm} checksum with value: ${providedHex}`,
        `Actual ${algorithm} was: ${actualHex}`,
      ].join("\n"),
      10037,
    ),
  invalidRange: (op: R2Operation) => failed(op, "The requested range is not satisfiable", 10039),
  badUpload: (op: R2Operation) => failed(op, "There was a problem with the multipart upload.", 10048),
  entityTooLarge: (op: R2Operation) =>
    failed(op, "Your proposed upload exceeds the maximum allowed object size.", 100100),

  // Argument checks (workerd, before any I/O).
  multipleHashes: () => new TypeError("You cannot specify multiple hashing algorithms."),
  hashByteLength: (algorithm: R2HashName, expected: number, actual: number) =>
    new TypeError(`${algorithm} is ${expected} bytes, not ${actual}`),
  hashHexLength: (algorithm: R2HashName, expected: number, actual: number) =>
    new TypeError(`${algorithm} is ${expected} hex characters, not ${actual}`),
  hashNotHex: (algorithm: R2HashName) => new TypeError(`Provided ${algorithm} wasn't a valid hex string`),
  offsetNegative: (offset: number) =>
    new RangeError(`Invalid range. Starting offset (${offset}) must be greater than or equal to 0.`),
  offsetFractional: (offset: number) =>
    new RangeError(`Invalid range. Starting offset (${offset}) must be an integer, not floating point.`),
  lengthNegative: (length: number) => new RangeError(`Invalid range. Length (${length}) must be greater than or equal to 0.`),
  lengthFractional: (length: number) =>
    new RangeError(`Invalid range. Length (${length}) must be an integer, not floating point.`),
  suffixWithOffset: () => new TypeError("Suffix is incompatible with offset."),
  suffixWithLength: () => new TypeError("Suffix is incompatible with length."),
  suffixNegative: (suffix: number) => new RangeError(`Invalid suffix. Suffix (${suffix}) must be greater than or equal to 0.`),
  suffixFractional: (suffix: number) =>
    new RangeError(`Invalid range. Suffix (${suffix}) must be an integer, not floating point.`),
  quotedEtag: (etag: string) => new TypeError(`Conditional ETag should not be wrapped in quotes (${etag}).`),
  etagCommaExpected: (reason: string) => new Error(`Comma was expected to separate etags. ${reason}`),
  weakEtagMalformed: () => new Error("Weak etags must start with W/ and their value must be quoted"),
  etagUnclosedQuote: () => new Error("Unclosed double quote for Etag"),
  conditionalHeaderInvalid: () => new Error("Invalid conditional header"),
  partNumberOutOfRange: (partNumber: number) =>
    new TypeError(`Part number must be between 1 and ${R2_MAX_MULTIPART_PARTS} (inclusive). Actual value was: ${partNumber}`),
  unsupportedInclude: (value: string) => new RangeError(`Unsupported include value ${value}`),
  badPutValue: (method: string, iface: string) =>
    new TypeError(
      `Failed to execute '${method}' on '${iface}': parameter 2 is not of type 'ReadableStream or ArrayBuffer or ArrayBufferView or string or Blob'.`,
    ),
  streamNotBytes: () => new TypeError("This ReadableStream did not return bytes."),
  bodyUsed: () =>
    new TypeError("Body has already been used. It can only be used once. Use tee() first if you need to read it twice."),
} as const;

export type R2ErrorKind = keyof typeof R2_ERRORS;

/** Makes the error user code sees for `kind`, with Cloudflare's type and wording. */
export function r2Error<K extends R2ErrorKind>(kind: K, ...args: Parameters<(typeof R2_ERRORS)[K]>): Error {
  return (R2_ERRORS[kind] as (...a: unknown[]) => Error)(...args);
}

/** The error user code sees for a failure a store reported. */
export function r2FailureError(op: R2Operation, failure: R2Failure): Error {
  switch (failure.code) {
    case "NoSuchKey":
      return r2Error("noSuchKey", op);
    case "NoSuchUpload":
      return r2Error("noSuchUpload", op);
    case "InvalidPart":
      return r2Error("invalidPart", op);
    case "EntityTooSmall":
      return r2Error("entityTooSmall", op);
    case "EntityTooLarge":
      return r2Error("entityTooLarge", op);
    case "BadUpload":
      return r2Error("badUpload", op);
    case "InvalidRange":
      return r2Error("invalidRange", op);
    case "BadDigest":
      return r2Error("badDigest", op, failure.algorithm, failure.providedHex, failure.actualHex);
    case "Internal":
      return r2Error("internal", op);
  }
}
