/**
 * Upgrade requests: sent to the Worker like any request; when it answers 101 with a WebSocket,
 * the handshake is completed with `ws` and messages flow between the client and the Worker's
 * socket until either side closes. Any other answer is written back as a plain HTTP response.
 */
import http from "node:http";
import type { Duplex } from "node:stream";
import type { WebSocketServer } from "ws";
import type { IsolateResponse } from "../runtime/isolate.js";
import type { IsolateWebSocket } from "../runtime/isolate-websocket.js";

let sockets: Promise<WebSocketServer> | undefined;

/** `ws` is loaded on the first upgrade only. */
function webSocketServer(): Promise<WebSocketServer> {
  sockets ??= import("ws").then(({ WebSocketServer }) => new WebSocketServer({ noServer: true }));
  return sockets;
}

/** Close codes a peer may not send on the wire (RFC 6455 7.4.1); they become a normal close. */
function sendableCode(code: number): number | undefined {
  return code === 1000 || (code >= 1001 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999) ? code : undefined;
}

export async function completeUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer, response: IsolateResponse): Promise<void> {
  const link = response.webSocket;
  if (!link) return writeRaw(socket, response);
  const server = await webSocketServer();
  server.handleUpgrade(req, socket, head, (client) => bridge(client, link));
}

function bridge(client: import("ws").WebSocket, link: IsolateWebSocket): void {
  client.on("message", (data, isBinary) => {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    link.send(isBinary ? bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) : bytes.toString("utf8"));
  });
  client.on("close", (code, reason) => link.close(code, reason.toString(), true));
  client.on("error", () => link.close(1006, "", false));
  link.connect({
    message: (data) => client.send(typeof data === "string" ? data : Buffer.from(data)),
    close: (code, reason) => {
      const sendable = sendableCode(code);
      if (sendable === undefined) client.close();
      else client.close(sendable, reason);
    },
  });
}

/** An upgrade request the Worker answered without a WebSocket: write its response on the raw socket. */
function writeRaw(socket: Duplex, response: IsolateResponse): void {
  const { head, body } = response;
  const text = body === null ? "" : body instanceof Uint8Array ? Buffer.from(body).toString("latin1") : "text" in body ? body.text : "";
  const payload = Buffer.from(text, body instanceof Uint8Array ? "latin1" : "utf8");
  const lines = [`HTTP/1.1 ${head.status} ${head.statusText || http.STATUS_CODES[head.status] || ""}`];
  for (const [name, value] of head.headers) if (name.toLowerCase() !== "content-length" && name.toLowerCase() !== "transfer-encoding") lines.push(`${name}: ${value}`);
  lines.push(`content-length: ${payload.byteLength}`, "connection: close", "", "");
  socket.end(Buffer.concat([Buffer.from(lines.join("\r\n"), "latin1"), payload]));
  if (body !== null && !(body instanceof Uint8Array) && !("text" in body)) body.destroy();
}
