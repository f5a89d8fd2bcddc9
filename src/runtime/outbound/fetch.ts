/**
 * Workers' global `fetch()` on top of Node's: what apps notice behaves as in workerd
 * (api/http.c++ fetchImpl):
 * - redirects are followed here, hop by hop, so each hop counts as a subrequest and errors carry
 *   workerd's words (too many redirects, bad Location, a streamed body that cannot be re-sent);
 *   `redirect: "manual"` returns the 3xx itself;
 * - `Upgrade: websocket` opens an outbound WebSocket (websocket-client.ts);
 * - only http(s) URLs (and data: URLs) are fetched; ws:// is refused as in workerd
 *   (compatibility flag fetch_refuses_unknown_protocols, on since 2021-11-10);
 * - `cf` is accepted and ignored; the Host header comes from the URL;
 * - network failures reject with workerd's "Network connection lost.".
 */
import {
  cannotLoad,
  INVALID_LOCATION,
  networkLost,
  ONE_TIME_USE_BODY,
  TOO_MANY_REDIRECTS,
} from "./errors.js";
import type { SubrequestBudget } from "./subrequests.js";
import { fetchWebSocket } from "./websocket-client.js";
import { replayableBody } from "./workers-request.js";

/** Redirects one fetch() follows (workerd's MAX_REDIRECT_COUNT, from the Fetch standard). */
export const MAX_REDIRECTS = 20;

/** Headers that describe one hop only, or that Node's fetch refuses; the Host header follows the URL. */
const HOP_HEADERS = ["host", "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "expect"];

/** Request-body headers dropped when a redirect turns the request into a body-less GET (Fetch standard). */
const BODY_HEADERS = ["content-type", "content-length", "content-encoding", "content-language", "content-location"];

export interface OutboundFetchOptions {
  /** Node's own fetch. */
  nodeFetch: typeof fetch;
  /** The Workers Request class (workers-request.ts). */
  Request: typeof Request;
  budget: SubrequestBudget;
  /** false only for Workers dated before 2021-11-10: other schemes are then sent as http(s). */
  refusesUnknownProtocols: boolean;
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function isWebSocketUpgrade(headers: Headers): boolean {
  return headers.get("upgrade")?.toLowerCase() === "websocket";
}

export function workersFetch(options: OutboundFetchOptions): typeof fetch {
  const { nodeFetch, Request: WorkersRequest, budget } = options;

  /** One hop: a WebSocket handshake, or an HTTP request whose redirects are not followed. */
  const hop = async (request: Request): Promise<Response> => {
    budget.charge();
    if (isWebSocketUpgrade(request.headers)) return fetchWebSocket(request);
    try {
      return await nodeFetch(request, { redirect: "manual" });
    } catch (error) {
      throw error instanceof TypeError && error.message === "fetch failed" ? networkLost(error.cause ?? error) : error;
    }
  };

  return async function fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    let request = new WorkersRequest(input, init);
    const protocol = request.url.slice(0, request.url.indexOf(":") + 1).toLowerCase();
    if (protocol === "data:") return nodeFetch(request);
    if (protocol !== "http:" && protocol !== "https:") {
      if (options.refusesUnknownProtocols) throw cannotLoad(request.url);
      // Before 2021-11-10 Workers sent any scheme as http (wss as https).
      const secure = protocol === "wss:" || protocol === "https:";
      request = new WorkersRequest((secure ? "https:" : "http:") + request.url.slice(protocol.length), request);
    }
    for (const name of HOP_HEADERS) {
      if (name === "upgrade" && isWebSocketUpgrade(request.headers)) continue;
      if (request.headers.has(name)) request.headers.delete(name);
    }
    const follow = request.redirect !== "manual";
    const replay = replayableBody(request);
    let hasBody = request.body !== null;
    for (let redirects = 0; ; redirects++) {
      const response = await hop(request);
      const location = follow && isRedirect(response.status) ? response.headers.get("location") : null;
      if (location === null) {
        if (redirects > 0) Object.defineProperty(response, "redirected", { value: true });
        return response;
      }
      let target: URL;
      try {
        target = new URL(location, response.url || request.url);
      } catch {
        await response.body?.cancel().catch(() => {});
        throw new TypeError(INVALID_LOCATION);
      }
      await response.body?.cancel().catch(() => {});
      if (redirects >= MAX_REDIRECTS) throw new TypeError(TOO_MANY_REDIRECTS);
      const status = response.status;
      if (status !== 303 && hasBody && replay === undefined) throw new TypeError(ONE_TIME_USE_BODY);
      const method = request.method;
      const toGet = ((status === 301 || status === 302) && method === "POST") || (status === 303 && method !== "HEAD");
      const headers = new Headers(request.headers);
      if (toGet) for (const name of BODY_HEADERS) headers.delete(name);
      if (target.origin !== new URL(request.url).origin) headers.delete("authorization");
      if (toGet) hasBody = false;
      request = new WorkersRequest(target, {
        method: toGet ? "GET" : method,
        headers,
        body: hasBody ? replay : null,
        redirect: "manual",
        signal: request.signal,
      });
    }
  };
}
