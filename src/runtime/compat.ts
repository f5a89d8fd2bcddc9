/**
 * Compatibility flags Hearth acts on, in one place. Flags it does not know are accepted and
 * ignored, as wrangler accepts any flag the runtime may know.
 */
const NODEJS_COMPAT_FLAGS = new Set(["nodejs_compat", "nodejs_compat_v2"]);

export function isNodejsCompat(flags: readonly string[]): boolean {
  return flags.some((flag) => NODEJS_COMPAT_FLAGS.has(flag));
}

/** A flag that turns on by compatibility date, with the names that force it on or off (workerd's compatibility-date.capnp). */
export interface DatedFlag {
  enable: string;
  disable: string;
  /** First compatibility date with the flag on. */
  date: string;
}

/** `fetch()` throws for schemes other than http(s) instead of treating them as http. */
export const FETCH_REFUSES_UNKNOWN_PROTOCOLS: DatedFlag = {
  enable: "fetch_refuses_unknown_protocols",
  disable: "fetch_treats_unknown_protocols_as_http",
  date: "2021-11-10",
};

/** WebSocket `binaryType` defaults to "blob" (binary messages arrive as Blobs) instead of "arraybuffer". */
export const WEBSOCKET_STANDARD_BINARY_TYPE: DatedFlag = {
  enable: "websocket_standard_binary_type",
  disable: "no_websocket_standard_binary_type",
  date: "2026-03-17",
};

/** Whether `flag` is on for a Worker with this compatibility date and flags. An explicit flag wins over the date. */
export function isFlagOn(flag: DatedFlag, compatibilityDate: string, flags: readonly string[]): boolean {
  if (flags.includes(flag.enable)) return true;
  if (flags.includes(flag.disable)) return false;
  return compatibilityDate >= flag.date;
}
