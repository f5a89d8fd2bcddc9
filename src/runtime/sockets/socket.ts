/**
 * `connect()` of `cloudflare:sockets` (https://developers.cloudflare.com/workers/runtime-apis/tcp-sockets/):
 * an outbound TCP connection, optionally TLS from the start (`secureTransport: "on"`) or later
 * (`"starttls"` then `socket.startTls()`), exposed as Web streams. Runs inside the isolate on
 * Node's `net` / `tls`; the stream side applies backpressure to the connection.
 */
import net from "node:net";
import tls from "node:tls";
import { assertNotInGlobalScope } from "../global-scope-guard.js";

export interface SocketAddress {
  hostname: string;
  port: number;
}

export interface SocketOptions {
  secureTransport?: "off" | "on" | "starttls";
  allowHalfOpen?: boolean;
}

export interface SocketInfo {
  remoteAddress?: string;
  localAddress?: string;
}

export interface TlsOptions {
  expectedServerHostname?: string;
}

/** Bytes the readable side buffers before it stops reading from the connection. */
const READ_HIGH_WATER_MARK_BYTES = 64 * 1024;
/** workerd refuses SMTP's port outright. */
const BLOCKED_PORT = 25;

function parseAddress(address: unknown): SocketAddress {
  if (typeof address === "object" && address !== null) {
    const { hostname, port } = address as Partial<SocketAddress>;
    if (typeof hostname === "string" && hostname !== "" && Number.isInteger(port) && port! > 0 && port! < 65536) return { hostname, port: port! };
  } else if (typeof address === "string") {
    const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(address);
    const port = match ? Number(match[3]) : NaN;
    if (match && port > 0 && port < 65536) return { hostname: (match[1] ?? match[2])!, port };
  }
  throw new TypeError("Specified address could not be parsed.");
}

export class Socket {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
  readonly opened: Promise<SocketInfo>;
  readonly closed: Promise<void>;
  readonly secureTransport: "off" | "on" | "starttls";
  #upgraded = false;
  readonly #connection: net.Socket;
  readonly #hostname: string;

  /** @internal Made by connect() and startTls(). */
  constructor(connection: net.Socket, hostname: string, options: Required<SocketOptions>, connectEvent: "connect" | "secureConnect") {
    this.#connection = connection;
    this.#hostname = hostname;
    this.secureTransport = options.secureTransport;
    let failure: Error | undefined;
    connection.on("error", (error) => (failure ??= error));
    this.opened = new Promise((resolve, reject) => {
      connection.once(connectEvent, () => resolve({ remoteAddress: connection.remoteAddress, localAddress: connection.localAddress }));
      connection.once("close", () => reject(failure ?? new Error("Socket closed before it opened.")));
    });
    this.closed = new Promise((resolve, reject) => connection.once("close", () => (failure ? reject(failure) : resolve())));
    this.opened.catch(() => {});
    this.closed.catch(() => {});

    this.readable = new ReadableStream<Uint8Array>(
      {
        start(controller) {
          connection.on("data", (chunk: Buffer) => {
            controller.enqueue(new Uint8Array(chunk));
            if ((controller.desiredSize ?? 0) <= 0) connection.pause();
          });
          connection.once("end", () => {
            controller.close();
            if (!options.allowHalfOpen) connection.end();
          });
          connection.once("close", () => {
            if (failure) controller.error(failure);
          });
        },
        pull() {
          connection.resume();
        },
        cancel() {
          connection.destroy();
        },
      },
      { highWaterMark: READ_HIGH_WATER_MARK_BYTES, size: (chunk) => chunk.byteLength },
    );
    this.writable = new WritableStream<Uint8Array>({
      write(chunk) {
        if (!(chunk instanceof Uint8Array)) throw new TypeError("This WritableStream only supports writing Uint8Array chunks.");
        return new Promise((resolve, reject) => connection.write(chunk, (error) => (error ? reject(error) : resolve())));
      },
      close() {
        return new Promise((resolve) => connection.end(resolve));
      },
      abort() {
        connection.destroy();
      },
    });
  }

  /** Whether startTls() replaced this socket. */
  get upgraded(): boolean {
    return this.#upgraded;
  }

  /** Closes both directions; resolves with `closed`. */
  close(): Promise<void> {
    this.#connection.destroy();
    return this.closed;
  }

  /** Upgrades a `secureTransport: "starttls"` socket to TLS; this socket may not be used afterwards. */
  startTls(options: TlsOptions = {}): Socket {
    if (this.secureTransport !== "starttls") throw new TypeError('secureTransport must be set to "starttls" to call startTls().');
    if (this.#upgraded) throw new TypeError("Cannot call startTls() more than once.");
    this.#upgraded = true;
    // The TLS layer reads the connection from now on; this socket's stream side lets go of it.
    this.#connection.removeAllListeners("data");
    this.#connection.removeAllListeners("end");
    const servername = options.expectedServerHostname ?? this.#hostname;
    const secured = tls.connect({ socket: this.#connection, servername: net.isIP(servername) ? undefined : servername });
    return new Socket(secured, this.#hostname, { secureTransport: "on", allowHalfOpen: false }, "secureConnect");
  }

  get [Symbol.toStringTag](): string {
    return "Socket";
  }
}

export function connect(address: string | SocketAddress, options: SocketOptions = {}): Socket {
  assertNotInGlobalScope();
  const { hostname, port } = parseAddress(address);
  if (port === BLOCKED_PORT) throw new Error(`Connections to port ${BLOCKED_PORT} are prohibited.`);
  const secureTransport = options.secureTransport ?? "off";
  if (!["off", "on", "starttls"].includes(secureTransport)) throw new TypeError(`Unsupported value in secureTransport option: ${String(secureTransport)}`);
  const settings = { secureTransport, allowHalfOpen: options.allowHalfOpen ?? false };
  if (secureTransport === "on") {
    const connection = tls.connect({ host: hostname, port, servername: net.isIP(hostname) ? undefined : hostname });
    return new Socket(connection, hostname, settings, "secureConnect");
  }
  return new Socket(net.connect({ host: hostname, port }), hostname, settings, "connect");
}
