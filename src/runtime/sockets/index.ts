/** The `cloudflare:sockets` module: `connect()` and its `Socket` (socket.ts), and how the bundle reaches them (module.ts). */
export { connect, Socket } from "./socket.js";
export type { SocketAddress, SocketInfo, SocketOptions, TlsOptions } from "./socket.js";
export { CLOUDFLARE_SOCKETS_KEY, CLOUDFLARE_SOCKETS_MODULE_SOURCE } from "./module.js";
