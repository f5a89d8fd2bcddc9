/**
 * A service binding as user code sees it: a `Fetcher` whose `fetch()` reaches the target Worker's
 * fetch handler, and whose every other property is an RPC method of the target's
 * `WorkerEntrypoint` (https://developers.cloudflare.com/workers/runtime-apis/rpc/).
 */
import type { ServiceError, ServiceTransport } from "./transport.js";

/** Names an RPC caller can never reach (reserved by Workers RPC). */
const RESERVED = new Set(["fetch", "connect", "dup", "constructor"]);

const ERROR_CLASSES: Record<string, new (message: string) => Error> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/** Rebuilds a target's error in the caller's realm: same name and message, as Workers RPC does. */
export function rebuildError(error: ServiceError): Error {
  const Class = ERROR_CLASSES[error.name];
  if (Class) return new Class(error.message);
  if (error.name === "DataCloneError" || error.name === "AbortError") return new DOMException(error.message, error.name);
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  return rebuilt;
}

/** Sends a request over a transport and makes a Response of the answer. */
export async function fetchOver(transport: ServiceTransport, input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  const body = request.body === null ? null : new Uint8Array(await request.arrayBuffer());
  const headers: string[] = [];
  request.headers.forEach((value, name) => headers.push(name, value));
  const response = await transport.fetch({ method: request.method, url: request.url, headers, body });
  const nullBody = response.status === 101 || response.status === 204 || response.status === 205 || response.status === 304;
  return new Response(nullBody ? null : (response.body as BodyInit | null), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
    ...(response.webSocket !== undefined && { webSocket: response.webSocket }),
  } as ResponseInit);
}

/** Calls a method over a transport, re-throwing the target's error in this realm. */
export async function callOver(transport: ServiceTransport, method: string, args: unknown[]): Promise<unknown> {
  const result = await transport.call(method, args);
  if (!result.ok) throw rebuildError(result.error);
  return result.value;
}

/** Builds the Fetcher-with-RPC object for one binding. */
export function createServiceBinding(transport: ServiceTransport): Record<string, unknown> {
  const fetcher = {
    fetch: (input: RequestInfo | URL, init?: RequestInit) => fetchOver(transport, input, init),
    connect() {
      throw new Error("Hearth does not support connect() on service bindings yet.");
    },
  };
  return rpcProxy(fetcher, RESERVED, (method, args) => callOver(transport, method, args));
}

/**
 * Wraps `base` so that every property it lacks is an RPC member: calling it invokes the remote
 * method, awaiting it without a call reads the remote property. `reserved` names are refused.
 */
export function rpcProxy<T extends object>(base: T, reserved: ReadonlySet<string>, invoke: (method: string, args: unknown[]) => Promise<unknown>): T & Record<string, unknown> {
  const methods = new Map<string, unknown>();
  return new Proxy(base, {
    get(target, property, receiver) {
      if (typeof property === "symbol" || property in target) return Reflect.get(target, property, receiver);
      // `await env.SERVICE` must not look like a promise.
      if (property === "then") return undefined;
      let method = methods.get(property);
      if (!method) {
        method = rpcMember(property, reserved, invoke);
        methods.set(property, method);
      }
      return method;
    },
  }) as T & Record<string, unknown>;
}

/** A callable that invokes the remote method; awaiting it without calling reads the property. */
function rpcMember(name: string, reserved: ReadonlySet<string>, invoke: (method: string, args: unknown[]) => Promise<unknown>): unknown {
  const call = async (args: unknown[]) => {
    if (reserved.has(name)) throw new TypeError(`The RPC receiver does not implement the method "${name}".`);
    return invoke(name, args);
  };
  const member = (...args: unknown[]) => call(args);
  Object.defineProperty(member, "then", {
    value: (resolve: (value: unknown) => unknown, reject: (reason: unknown) => unknown) => call([]).then(resolve, reject),
  });
  return member;
}
