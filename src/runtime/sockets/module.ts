/**
 * How user code reaches `cloudflare:sockets`: the bundler maps the import to a virtual module
 * (bundle.ts) that reads what global-scope.ts installs under CLOUDFLARE_SOCKETS_KEY. No imports,
 * so the bundler's side does not load the socket code.
 */

/** The global key the virtual `cloudflare:sockets` module reads. */
export const CLOUDFLARE_SOCKETS_KEY = Symbol.for("hearth.cloudflare:sockets");

/** Source of the virtual module the bundler substitutes for `import ... from "cloudflare:sockets"`. */
export const CLOUDFLARE_SOCKETS_MODULE_SOURCE = `
const m = globalThis[Symbol.for("hearth.cloudflare:sockets")];
export const connect = m.connect;
export default m;
`;
