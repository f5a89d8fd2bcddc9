/**
 * Injected into every bundle built without `nodejs_compat` (esbuild `inject`): each free reference
 * to one of these names in user code resolves to `undefined` here instead of Node's global, so
 * `typeof process === "undefined"` holds as on Cloudflare. Names user code declares itself are
 * untouched. See docs/architecture.md, "What of Node stays reachable".
 */
const hidden = undefined;
export {
  hidden as process,
  hidden as Buffer,
  hidden as global,
  hidden as require,
  hidden as module,
  hidden as exports,
  hidden as __dirname,
  hidden as __filename,
  hidden as setImmediate,
  hidden as clearImmediate,
};
