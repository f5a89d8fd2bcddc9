/**
 * A Worker running in another Hearth process on this machine, reached over loopback HTTP through
 * that process's internal endpoints (server/service-endpoints.ts): fetches travel as HTTP requests
 * with their metadata in one header; RPC calls as structured-clone bytes (v8.serialize), the same
 * encoding postMessage uses between isolates.
 */
import http from "node:http";
import https from "node:https";
import { Readable } from "node:stream";
import v8 from "node:v8";
import type { IsolateResponse } from "./isolate.js";
import { HandlerError } from "./isolate-errors.js";
import type { DurableObjectAddress, RpcCall, RpcOutcome, WireRequest } from "./protocol.js";
import type { ServiceHandle } from "./service-router.js";

export const SERVICE_ENDPOINT_PREFIX = "/cdn-cgi/hearth/service/";
/** Carries method, URL, headers, entrypoint and props of a forwarded fetch, as JSON. */
export const FORWARDED_REQUEST_HEADER = "x-hearth-forwarded-request";
/** Set on a forwarded fetch's response when the target's handler threw; the body is the error as JSON. */
export const FORWARDED_ERROR_HEADER = "x-hearth-forwarded-error";

export interface ForwardedRequest {
  method: string;
  url: string;
  headers: string[];
  entrypoint?: string;
  props?: Record<string, unknown>;
  durableObject?: DurableObjectAddress;
}

export class RemoteService implements ServiceHandle {
  constructor(
    private readonly baseUrl: string,
    private readonly name: string,
  ) {}

  private endpoint(kind: "fetch" | "rpc"): URL {
    return new URL(`${SERVICE_ENDPOINT_PREFIX}${encodeURIComponent(this.name)}/${kind}`, this.baseUrl);
  }

  async fetch(request: Omit<WireRequest, "id" | "body">, body?: Readable | Uint8Array): Promise<IsolateResponse> {
    const { method, url, entrypoint, props, durableObject } = request;
    const forwarded: ForwardedRequest = { method, url, headers: request.headers, entrypoint, props, durableObject };
    const response = await send(this.endpoint("fetch"), { [FORWARDED_REQUEST_HEADER]: encodeURIComponent(JSON.stringify(forwarded)) }, body);
    if (response.headers[FORWARDED_ERROR_HEADER]) {
      const error = JSON.parse(await text(response)) as { name: string; message: string; stack: string };
      throw new HandlerError(error, false);
    }
    const headers: [string, string][] = [];
    for (let i = 0; i < response.rawHeaders.length; i += 2) headers.push([response.rawHeaders[i]!.toLowerCase(), response.rawHeaders[i + 1]!]);
    return {
      head: { id: 0, status: response.statusCode ?? 500, statusText: response.statusMessage ?? "", headers: headers.filter(([name]) => !HOP_BY_HOP.has(name)) },
      body: response,
    };
  }

  async rpc(call: RpcCall): Promise<RpcOutcome> {
    const payload = new Uint8Array(v8.serialize(call));
    const response = await send(this.endpoint("rpc"), { "content-type": "application/octet-stream" }, payload);
    const chunks: Buffer[] = [];
    for await (const chunk of response) chunks.push(chunk as Buffer);
    return v8.deserialize(Buffer.concat(chunks)) as RpcOutcome;
  }
}

const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "content-length"]);

function send(url: URL, headers: Record<string, string>, body: Readable | Uint8Array | undefined): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    // A peer started with --local-protocol https serves a self-signed certificate; it is another
    // Hearth process on this machine, found through the local registry, so its certificate is taken as is.
    const req = url.protocol === "https:" ? https.request(url, { method: "POST", headers, rejectUnauthorized: false }, resolve) : http.request(url, { method: "POST", headers }, resolve);
    req.once("error", reject);
    if (body instanceof Readable) body.pipe(req);
    else req.end(body);
  });
}

async function text(response: http.IncomingMessage): Promise<string> {
  let out = "";
  for await (const chunk of response) out += chunk;
  return out;
}
