/**
 * Moving bodies between a Node HTTP exchange and a Worker: what of an incoming body to read at
 * once, and how to write a Worker's (or an error's) response back.
 */
import type http from "node:http";
import { Readable } from "node:stream";
import type { IsolateResponse } from "../runtime/isolate.js";
import type { ErrorResponse } from "./error-page.js";

/** Bodies up to this size are read on the main thread and sent with the request in one message. */
const INLINE_REQUEST_BODY_MAX_BYTES = 64 * 1024;
const BODILESS_STATUS = new Set([101, 204, 205, 304]);

/** Reads a small body whole, or leaves a larger (or unsized) one to be pulled by the isolate. */
export async function requestBody(req: http.IncomingMessage, method = req.method): Promise<Readable | Uint8Array | undefined> {
  if (method === "GET" || method === "HEAD") return undefined;
  const length = req.headers["content-length"];
  if (length === undefined && req.headers["transfer-encoding"] === undefined) return undefined;
  if (length !== undefined && Number(length) <= INLINE_REQUEST_BODY_MAX_BYTES) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const whole = Buffer.concat(chunks);
    return new Uint8Array(whole.buffer, whole.byteOffset, whole.byteLength);
  }
  req.pause();
  return req;
}

export function writeError(res: http.ServerResponse, error: ErrorResponse): void {
  const body = Buffer.from(error.body);
  res.writeHead(error.status, [...error.headers, ["content-length", String(body.byteLength)]].flat());
  res.end(body);
}

/** Writes the Worker's response; `append` (the live-reload script) goes after the body. */
export function writeResponse(req: http.IncomingMessage, res: http.ServerResponse, response: IsolateResponse, append?: string): void {
  const { head, body } = response;
  let whole = body instanceof Uint8Array ? body : body !== null && "text" in body ? body.text : undefined;
  if (append !== undefined && whole !== undefined) whole = typeof whole === "string" ? whole + append : Buffer.concat([whole, Buffer.from(append)]);
  const noBody = req.method === "HEAD" || BODILESS_STATUS.has(head.status);
  const raw: string[] = [];
  for (const [name, value] of head.headers) {
    const lower = name.toLowerCase();
    // Node frames the body itself; a length for a streamed body is kept only if the Worker set one.
    if (lower === "transfer-encoding" || lower === "connection" || lower === "keep-alive") continue;
    if (lower === "content-length" && (whole !== undefined || append !== undefined)) continue;
    raw.push(name, value);
  }
  if (whole !== undefined && !BODILESS_STATUS.has(head.status)) {
    raw.push("content-length", String(typeof whole === "string" ? Buffer.byteLength(whole) : whole.byteLength));
  }
  if (body === null && !noBody && !raw.some((_, i) => i % 2 === 0 && raw[i]!.toLowerCase() === "content-length")) {
    raw.push("content-length", "0");
  }
  res.writeHead(head.status, head.statusText || undefined, raw);
  if (!(body instanceof Readable)) {
    res.end(noBody ? undefined : whole);
    return;
  }
  if (noBody) {
    body.destroy();
    res.end();
    return;
  }
  body.pipe(res, { end: append === undefined });
  if (append !== undefined) body.once("end", () => res.end(append));
  body.once("error", () => res.destroy());
  res.once("close", () => {
    if (!body.readableEnded) body.destroy();
  });
}
