/**
 * The endpoints through which another Hearth process on this machine calls a Worker of this one
 * (runtime/remote-service.ts is the calling side). Only loopback clients are answered, and only
 * Workers of this process are reachable: a forwarded call is never forwarded again.
 */
import type http from "node:http";
import v8 from "node:v8";
import { HandlerError } from "../runtime/isolate-errors.js";
import type { RpcCall, RpcOutcome } from "../runtime/protocol.js";
import { FORWARDED_ERROR_HEADER, FORWARDED_REQUEST_HEADER, SERVICE_ENDPOINT_PREFIX, type ForwardedRequest } from "../runtime/remote-service.js";
import type { ServiceHandle } from "../runtime/service-router.js";
import { requestBody, writeResponse } from "./exchange.js";
import { isLoopback } from "./loopback.js";

export interface LocalWorkers {
  local(name: string): ServiceHandle | undefined;
}

const ENDPOINT = /^\/cdn-cgi\/hearth\/service\/([^/]+)\/(fetch|rpc)$/;

export function isServiceEndpoint(path: string): boolean {
  return path.startsWith(SERVICE_ENDPOINT_PREFIX);
}

export async function handleServiceEndpoint(workers: LocalWorkers | undefined, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const match = ENDPOINT.exec(req.url ?? "");
  const handle = match && workers?.local(decodeURIComponent(match[1]!));
  if (!isLoopback(req.socket.remoteAddress) || req.method !== "POST" || !match || !handle) {
    res.writeHead(404, { "content-type": "text/plain" }).end("no such Worker in this Hearth process\n");
    return;
  }
  if (match[2] === "rpc") return answerRpc(handle, req, res);

  const forwarded = JSON.parse(decodeURIComponent(String(req.headers[FORWARDED_REQUEST_HEADER]))) as ForwardedRequest;
  try {
    const response = await handle.fetch({ ...forwarded, httpVersion: "1.1" }, await requestBody(req, forwarded.method));
    writeResponse(req, res, response);
  } catch (error) {
    const wire = error instanceof HandlerError ? error.wire : { name: "Error", message: String((error as Error).message), stack: "" };
    res.writeHead(500, { [FORWARDED_ERROR_HEADER]: "1", "content-type": "application/json" }).end(JSON.stringify(wire));
  }
}

async function answerRpc(handle: ServiceHandle, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const call = v8.deserialize(Buffer.concat(chunks)) as RpcCall;
  let outcome: RpcOutcome;
  try {
    outcome = await handle.rpc(call);
  } catch (error) {
    outcome = { ok: false, error: { name: "Error", message: String((error as Error).message) } };
  }
  let bytes: Buffer;
  try {
    bytes = v8.serialize(outcome);
  } catch (error) {
    bytes = v8.serialize({ ok: false, error: { name: "DataCloneError", message: (error as Error).message } } satisfies RpcOutcome);
  }
  res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(bytes.byteLength) }).end(bytes);
}
