/**
 * What user code sees when outbound `fetch()` or a WebSocket goes wrong, worded as workerd words
 * it: src/workerd/api/http.c++ (Request constructor, Body, redirects, Fetcher::parseUrl) and
 * api/web-socket.c++ (the WebSocket constructor). The subrequest message is the one Cloudflare
 * throws today. One place, so each message is written once and tested.
 */

/** `new Request(…, { redirect })` and `fetch(…, { redirect })` with anything but "follow" or "manual" (TypeError). */
export const INVALID_REDIRECT_MODE =
  'Invalid redirect value, must be one of "follow" or "manual" ("error" won\'t be implemented since it does not make sense at the edge; use "manual" and check the response status code).';

/** `new Request(request)` or `fetch(request)` when `request`'s body was already read or sent (TypeError). */
export const REQUEST_BODY_USED = "Cannot reconstruct a Request with a used body.";

/** Reading a body twice: `text()`, `json()`, `arrayBuffer()`, `bytes()`, `blob()`, `formData()` (TypeError). */
export const BODY_USED = "Body has already been used. It can only be used once. Use tee() first if you need to read it twice.";

/** A 301/302/307/308 whose body must be sent again, when the body came from a stream (TypeError). */
export const ONE_TIME_USE_BODY =
  "A request with a one-time-use body (it was initialized from a stream, not a buffer) encountered a redirect requiring the body to be retransmitted. To avoid this error in the future, construct this request from a buffer-like body initializer.";

/** More than 20 redirects (TypeError). */
export const TOO_MANY_REDIRECTS = "Too many redirects.";

/** A Location header that does not parse as a URL (TypeError). */
export const INVALID_LOCATION = "Invalid Location header; unable to follow redirect.";

/** One invocation made more subrequests than `limits.subrequests` allows (Error). */
export const TOO_MANY_SUBREQUESTS =
  "Too many subrequests by single Worker invocation. To configure this limit, refer to https://developers.cloudflare.com/workers/wrangler/configuration/#limits";

/** The connection failed or dropped: refused, reset, DNS failure (Error). */
export const NETWORK_CONNECTION_LOST = "Network connection lost.";

/** `fetch()` of a URL whose scheme is not http(s), e.g. ws:// (TypeError). */
export function cannotLoad(url: string): TypeError {
  return new TypeError(`Fetch API cannot load: ${url}`);
}

/** The connection failed: the original error stays reachable as `cause`. */
export function networkLost(cause: unknown): Error {
  return new Error(NETWORK_CONNECTION_LOST, { cause });
}

/** `new WebSocket(url, protocols)` with a bad argument (DOMException "SyntaxError"). */
export function webSocketSyntaxError(detail: string): DOMException {
  return new DOMException(`WebSocket Constructor: ${detail}`, "SyntaxError");
}

/** `new WebSocket(url)` whose server answered without switching protocols (TypeError, as the "error" event's error). */
export function notSwitchingProtocols(status: number): TypeError {
  return new TypeError(
    `Failed to establish the WebSocket connection: expected server to reply with HTTP status code 101 (switching protocols), but received ${status} instead.`,
  );
}
