/**
 * Outbound requests from user code, as in Workers: `fetch()` (redirects, WebSocket upgrades,
 * subrequest limit, workerd's errors), `Request` (`redirect`, `cf`, used bodies), body readers,
 * and the client side of the global `WebSocket`. Installed on the isolate's global object by
 * runtime/global-scope.ts; Hearth's bindings never go through the global `fetch`, so they are
 * not subrequests.
 */
import { isFlagOn, FETCH_REFUSES_UNKNOWN_PROTOCOLS } from "../compat.js";
import { setWebSocketConnector } from "../websocket-pair.js";
import { guardBodyReaders } from "./body-guards.js";
import { workersFetch } from "./fetch.js";
import type { SubrequestBudget } from "./subrequests.js";
import { webSocketConnector } from "./websocket-client.js";
import { workersRequestClass } from "./workers-request.js";

export { SubrequestBudget, type Metered } from "./subrequests.js";
export { BODY_USED } from "./errors.js";
export { MAX_REDIRECTS } from "./fetch.js";

export interface OutboundOptions {
  budget: SubrequestBudget;
  compatibilityDate: string;
  compatibilityFlags: readonly string[];
}

/** The Workers `Request` and `fetch` for a global object whose `Request`, `Response` and `fetch` are still Node's. */
type Fetch = typeof globalThis.fetch;

export function outboundGlobals(g: { Request: typeof Request; Response: typeof Response; fetch: Fetch }, options: OutboundOptions): { Request: typeof Request; fetch: Fetch } {
  guardBodyReaders(g.Request.prototype);
  guardBodyReaders(g.Response.prototype);
  setWebSocketConnector(webSocketConnector(options.budget));
  const WorkersRequest = workersRequestClass(g.Request);
  const outboundFetch = workersFetch({
    nodeFetch: g.fetch,
    Request: WorkersRequest,
    budget: options.budget,
    refusesUnknownProtocols: isFlagOn(FETCH_REFUSES_UNKNOWN_PROTOCOLS, options.compatibilityDate, options.compatibilityFlags),
  });
  return { Request: WorkersRequest, fetch: outboundFetch };
}
