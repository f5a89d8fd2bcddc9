/**
 * Workers' Request: Node's, with what workerd's constructor does differently (api/http.c++):
 * - `redirect` is "follow" or "manual" (any case); "error" throws workerd's TypeError;
 * - a Request whose body was used cannot be copied (workerd's wording);
 * - `cf` is kept and readable (`new Request(url, { cf })`, copied by `new Request(request)`); it
 *   changes nothing when the request is sent;
 * - a stream body needs no `duplex: "half"`.
 * A Proxy, not a subclass, so every Request, incoming ones included, is an instance of the one
 * global class. The body a request was made from is remembered when it can be sent again (a
 * string or bytes, not a stream), for fetch() to follow a 307/308 as workerd does.
 */
import { INVALID_REDIRECT_MODE, REQUEST_BODY_USED } from "./errors.js";

type WorkersRequestInit = RequestInit & { cf?: unknown; duplex?: "half" };

/** Bodies made from a buffer-like value, which a redirect may send again. */
const replayable = new WeakMap<Request, BodyInit>();

/** The body `request` was made from, if it can be sent again; undefined for streams and no body. */
export function replayableBody(request: Request): BodyInit | undefined {
  return replayable.get(request);
}

function isReplayable(body: unknown): body is BodyInit {
  return (
    typeof body === "string" ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    body instanceof Blob ||
    body instanceof FormData ||
    body instanceof URLSearchParams
  );
}

/** The members of a RequestInit dictionary (what the constructor reads from `init`). */
const INIT_MEMBERS = [
  "body", "cache", "cf", "credentials", "duplex", "headers", "integrity", "keepalive",
  "method", "mode", "priority", "redirect", "referrer", "referrerPolicy", "signal", "window",
] as const;

/**
 * `init` as a plain object, with `changes`. Spreading would lose the members of an init that is a
 * Request (`fetch(url, request)`): they are prototype getters.
 */
function withChanges(init: WorkersRequestInit, changes: Partial<WorkersRequestInit>): WorkersRequestInit {
  const copy: Record<string, unknown> = {};
  for (const name of INIT_MEMBERS) {
    const value = (init as Record<string, unknown>)[name];
    if (value !== undefined) copy[name] = value;
  }
  return Object.assign(copy, changes);
}

/** workerd accepts the two modes in any case (strcasecmp). */
function redirectMode(value: unknown): "follow" | "manual" {
  const mode = String(value).toLowerCase();
  if (mode !== "follow" && mode !== "manual") throw new TypeError(INVALID_REDIRECT_MODE);
  return mode;
}

function defineCf(request: Request, read: () => unknown): void {
  let cf: unknown;
  let done = false;
  Object.defineProperty(request, "cf", {
    configurable: true,
    enumerable: false,
    get() {
      if (!done) {
        done = true;
        const value = read();
        cf = value === undefined || value === null ? undefined : structuredClone(value);
      }
      return cf;
    },
  });
}

export function workersRequestClass(Base: typeof Request): typeof Request {
  return new Proxy(Base, {
    construct(target, args: [RequestInfo | URL, WorkersRequestInit | undefined], newTarget) {
      const [input, init] = args;
      const from = input instanceof target ? input : undefined;
      const initBody = init === undefined || init === null ? undefined : init.body;
      if (from && initBody === undefined && from.bodyUsed) throw new TypeError(REQUEST_BODY_USED);
      let effective = init;
      if (init !== undefined && init !== null) {
        if (init.redirect !== undefined) {
          const mode = redirectMode(init.redirect);
          if (mode !== init.redirect) effective = withChanges(init, { redirect: mode });
        }
        if (initBody instanceof ReadableStream && init.duplex === undefined) effective = withChanges(effective!, { duplex: "half" });
      }
      const request = Reflect.construct(target, effective === init ? args : [input, effective], newTarget) as Request;
      if (initBody !== undefined) {
        if (isReplayable(initBody)) replayable.set(request, initBody);
      } else if (from) {
        const source = replayable.get(from);
        if (source !== undefined) replayable.set(request, source);
      }
      if (init?.cf !== undefined) defineCf(request, () => init.cf);
      else if (from && Object.getOwnPropertyDescriptor(from, "cf")) defineCf(request, () => (from as Request & { cf?: unknown }).cf);
      return request;
    },
  });
}
