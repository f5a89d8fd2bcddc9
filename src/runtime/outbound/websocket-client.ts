/**
 * Outbound WebSockets, opened with the `ws` package: the hop behind `fetch(url, { headers: {
 * Upgrade: "websocket" } })` and the connector behind `new WebSocket(url, protocols)`. A connected
 * socket is bridged to the hidden end of a Workers WebSocket pair, so what the Worker sends goes
 * out and what the server sends arrives on the Worker's end (websocket-pair.ts).
 */
import type { ClientRequest, IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import type { WebSocket as WsClient } from "ws";
import { WorkersWebSocket, type WebSocketConnector } from "../websocket-pair.js";
import { networkLost, notSwitchingProtocols, webSocketSyntaxError } from "./errors.js";
import type { SubrequestBudget } from "./subrequests.js";

let wsModule: Promise<typeof import("ws")> | undefined;

/** `ws` is loaded on the first outbound WebSocket only. */
function loadWs(): Promise<typeof import("ws")> {
  wsModule ??= import("ws");
  return wsModule;
}

/** Headers `ws` writes itself, or that belong to one hop only: not copied from the Worker's request. */
const HANDSHAKE_HEADERS = new Set([
  "host",
  "upgrade",
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "te",
  "trailer",
  "content-length",
  "sec-websocket-key",
  "sec-websocket-version",
  "sec-websocket-extensions",
  "sec-websocket-protocol",
]);

/** workerd closes with this reason when the peer vanished without a Close frame (api/web-socket.c++). */
const DISCONNECTED_REASON = "WebSocket disconnected without sending Close frame.";

/** How an opening handshake ended: switched protocols, or an ordinary HTTP answer. */
type Handshake =
  | { kind: "open"; socket: WsClient; head: IncomingMessage; bridge(network: WorkersWebSocket): void }
  | { kind: "response"; request: ClientRequest; head: IncomingMessage };

interface Attempt {
  done: Promise<Handshake>;
  /** Gives up on the handshake (or closes what it opened). */
  abandon(): void;
}

/** Starts an opening handshake to a ws:// or wss:// URL. Rejects with the network error. */
function handshake(url: string, protocols: string[], headers: Record<string, string>): Attempt {
  let client: WsClient | undefined;
  let abandoned = false;
  const done = loadWs().then(
    ({ WebSocket }) =>
      new Promise<Handshake>((resolve, reject) => {
        if (abandoned) return reject(new Error("The WebSocket connection was abandoned."));
        // Compression is not negotiated, as in workerd without the websocket_compression flag.
        const socket = new WebSocket(url, protocols, { headers, perMessageDeflate: false, followRedirects: false });
        client = socket;
        let head: IncomingMessage | undefined;
        socket.once("upgrade", (response) => (head = response));
        socket.once("open", () => resolve({ kind: "open", socket, head: head!, bridge: listen(socket) }));
        socket.once("unexpected-response", (request, response) => resolve({ kind: "response", request, head: response }));
        // `ws` emits "error" then "close"; errors after the handshake are the bridge's.
        socket.on("error", reject);
      }),
  );
  return {
    done,
    abandon() {
      abandoned = true;
      client?.terminate();
    },
  };
}

/** Header pairs of a handshake answer, repeated names kept apart. */
function headerPairs(head: IncomingMessage): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < head.rawHeaders.length; i += 2) pairs.push([head.rawHeaders[i]!, head.rawHeaders[i + 1]!]);
  return pairs;
}

/** Close codes a peer may not send on the wire (RFC 6455 7.4.1) become a close without a code. */
function sendableCode(code: number): number | undefined {
  return code === 1000 || (code >= 1001 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999) ? code : undefined;
}

function toArrayBuffer(data: Buffer | ArrayBuffer | Buffer[]): ArrayBuffer {
  const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/**
 * Listens to a socket that just opened (messages may follow in the same tick) and returns how to
 * connect it to the hidden end of a pair; what arrived before that is delivered first.
 */
function listen(socket: WsClient): (network: WorkersWebSocket) => void {
  let target: WorkersWebSocket | undefined;
  const early: ((network: WorkersWebSocket) => void)[] = [];
  const route = (deliver: (network: WorkersWebSocket) => void) => (target ? deliver(target) : early.push(deliver));
  socket.on("message", (data, isBinary) => {
    const value = isBinary ? toArrayBuffer(data) : data.toString();
    route((network) => network.fromNetwork(value));
  });
  socket.on("close", (code, reason) => {
    const text = reason.toString();
    route((network) => network.networkClosed(code, text === "" && code === 1006 ? DISCONNECTED_REASON : text, code !== 1006));
  });
  socket.on("error", (error) => route((network) => network.networkError(error)));
  return (network) => {
    network.attach({
      send: (data) => socket.send(data),
      close: (code, reason) => {
        const sendable = sendableCode(code);
        if (sendable === undefined) socket.close();
        else socket.close(sendable, reason);
      },
    });
    target = network;
    for (const deliver of early.splice(0)) deliver(network);
  };
}

/** The request headers to send with the handshake, and the subprotocols asked for. */
function handshakeHeaders(headers: Headers): { headers: Record<string, string>; protocols: string[] } {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (!HANDSHAKE_HEADERS.has(name)) out[name] = value;
  });
  const offered = headers.get("sec-websocket-protocol");
  const protocols = offered === null ? [] : offered.split(",").map((p) => p.trim()).filter((p) => p !== "");
  return { headers: out, protocols };
}

/**
 * One hop of `fetch(request)` with `Upgrade: websocket`: a 101 Response whose `webSocket` the
 * Worker must accept(), or the server's ordinary answer.
 */
export async function fetchWebSocket(request: Request): Promise<Response> {
  const { headers, protocols } = handshakeHeaders(request.headers);
  const attempt = handshake(request.url.replace(/^http/, "ws"), protocols, headers);
  const signal = request.signal;
  const onAbort = () => attempt.abandon();
  signal.throwIfAborted();
  signal.addEventListener("abort", onAbort, { once: true });
  let outcome: Handshake;
  try {
    outcome = await attempt.done;
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw networkLost(error);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
  if (outcome.kind === "response") return plainResponse(outcome.request, outcome.head, request);
  const [local, network] = WorkersWebSocket.pair();
  outcome.bridge(network);
  const response = new Response(null, {
    status: 101,
    statusText: outcome.head.statusMessage ?? "Switching Protocols",
    headers: headerPairs(outcome.head),
    webSocket: local,
  } as ResponseInit);
  Object.defineProperty(response, "url", { value: request.url });
  return response;
}

/** A handshake the server answered without switching protocols, as an ordinary Response. */
function plainResponse(clientRequest: ClientRequest, head: IncomingMessage, request: Request): Response {
  head.once("close", () => clientRequest.destroy());
  const status = head.statusCode ?? 502;
  const nullBody = status === 101 || status === 204 || status === 205 || status === 304 || request.method === "HEAD";
  if (nullBody) head.resume();
  const body = nullBody ? null : (Readable.toWeb(head) as ReadableStream<Uint8Array>);
  const response = new Response(body, { status, statusText: head.statusMessage ?? "", headers: headerPairs(head) });
  Object.defineProperty(response, "url", { value: request.url });
  return response;
}

/** RFC 6455 subprotocol tokens, with workerd's list of separators. */
function isToken(protocol: string): boolean {
  if (protocol.length === 0) return false;
  for (const char of protocol) {
    const code = char.charCodeAt(0);
    if (code < 0x21 || code > 0x7e || "()<>@,;:\\/[]?={}".includes(char)) return false;
  }
  return true;
}

function clientUrl(url: unknown): URL {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    throw webSocketSyntaxError("The url is invalid.");
  }
  if (parsed.protocol !== "ws:" && parsed.protocol !== "wss:") throw webSocketSyntaxError("The url scheme must be ws or wss.");
  if (parsed.href.includes("#")) throw webSocketSyntaxError("The url fragment must be empty.");
  return parsed;
}

function clientProtocols(protocols: unknown): string[] {
  if (protocols === undefined) return [];
  if (typeof protocols !== "object" || protocols === null || !(Symbol.iterator in protocols)) {
    const protocol = String(protocols);
    if (!isToken(protocol)) throw webSocketSyntaxError("The protocol header token is invalid.");
    return [protocol];
  }
  const list = Array.from(protocols as Iterable<unknown>, String);
  if (list.length === 0) throw webSocketSyntaxError("The protocols array cannot be empty.");
  const seen = new Set<string>();
  for (const protocol of list) {
    if (!isToken(protocol)) throw webSocketSyntaxError("One of the protocol header tokens is invalid.");
    if (seen.has(protocol)) throw webSocketSyntaxError("The protocols header cannot have repeating values.");
    seen.add(protocol);
  }
  return list;
}

/**
 * What `new WebSocket(url, protocols)` runs: checks the arguments as workerd does, counts a
 * subrequest, and connects; the socket fires "open", or "error" then a 1006 "close".
 */
export function webSocketConnector(budget: SubrequestBudget): WebSocketConnector {
  return (url, protocols, connection) => {
    const target = clientUrl(url);
    const offered = clientProtocols(protocols);
    budget.charge();
    const attempt = handshake(target.href, offered, {});
    let abandoned = false;
    attempt.done.then(
      (outcome) => {
        if (outcome.kind === "response") {
          outcome.request.destroy();
          if (!abandoned) connection.failed(notSwitchingProtocols(outcome.head.statusCode ?? 0));
          return;
        }
        if (abandoned) return void outcome.socket.terminate();
        outcome.bridge(connection.network);
        connection.opened(outcome.socket.protocol === "" ? null : outcome.socket.protocol, outcome.socket.extensions === "" ? null : outcome.socket.extensions);
      },
      (error) => {
        if (!abandoned) connection.failed(networkLost(error));
      },
    );
    return () => {
      abandoned = true;
      attempt.abandon();
    };
  };
}
