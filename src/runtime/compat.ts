/**
 * Compatibility flags Hearth acts on, in one place. Flags it does not know are accepted and
 * ignored, as wrangler accepts any flag the runtime may know.
 */
const NODEJS_COMPAT_FLAGS = new Set(["nodejs_compat", "nodejs_compat_v2"]);

export function isNodejsCompat(flags: readonly string[]): boolean {
  return flags.some((flag) => NODEJS_COMPAT_FLAGS.has(flag));
}
