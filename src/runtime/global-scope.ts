/**
 * Turns a worker thread's global object into the Workers global scope before user code loads.
 * Runs inside the isolate thread. Node 20 already provides most Web APIs (fetch, Request,
 * streams, crypto.subtle, structuredClone, ...); this adds what Workers has and Node lacks, and
 * hides what Node has and Workers lacks. See docs/architecture.md for what stays reachable.
 */
import { URLPattern } from "urlpattern-polyfill/urlpattern";
import { setDefaultBinaryType, WebSocketPair, WebSocketRequestResponsePair, WorkersWebSocket } from "./websocket-pair.js";
import { isFlagOn, WEBSOCKET_STANDARD_BINARY_TYPE } from "./compat.js";
import { outboundGlobals, type SubrequestBudget } from "./outbound/index.js";
import { workersResponseClass } from "./workers-response.js";
import { installMd5Digest } from "./md5-digest.js";
import { HTMLRewriter } from "./html-rewriter/html-rewriter.js";
import { CacheStorage } from "./cache/cache-storage.js";
import { assertNotInGlobalScope } from "./global-scope-guard.js";
import { CLOUDFLARE_SOCKETS_KEY, connect } from "./sockets/index.js";

/** Node globals a Worker must not see unless `nodejs_compat` is on. */
const NODE_ONLY_GLOBALS = ["process", "Buffer", "global", "setImmediate", "clearImmediate"] as const;

export interface GlobalScopeOptions {
  nodejsCompat: boolean;
  compatibilityDate: string;
  compatibilityFlags: string[];
  /** Counts the outbound subrequests of each invocation (`limits.subrequests`). */
  subrequests: SubrequestBudget;
  /** The state root: `caches` keeps its files under `<stateRoot>/cache/`. */
  stateRoot: string;
}

export function installWorkersGlobals(options: GlobalScopeOptions): void {
  const g = globalThis as Record<string, unknown>;

  define(g, "self", globalThis);
  define(g, "navigator", Object.freeze({ userAgent: "Cloudflare-Workers", language: "en", hardwareConcurrency: 1 }));
  define(g, "scheduler", {
    wait: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  });
  if (typeof g.URLPattern === "undefined") define(g, "URLPattern", URLPattern);
  define(g, "Cloudflare", Object.freeze({ compatibilityFlags: flagsObject(options.compatibilityFlags) }));
  define(g, "WebSocketPair", WebSocketPair);
  define(g, "WebSocketRequestResponsePair", WebSocketRequestResponsePair);
  const outbound = outboundGlobals(globalThis, {
    budget: options.subrequests,
    compatibilityDate: options.compatibilityDate,
    compatibilityFlags: options.compatibilityFlags,
  });
  define(g, "Response", workersResponseClass(globalThis.Response));
  define(g, "Request", outbound.Request);
  const outboundFetch = outbound.fetch;
  define(g, "fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    assertNotInGlobalScope();
    return outboundFetch(input, init);
  });
  // One class for pair ends, fetch() upgrades and `new WebSocket(url)` clients, so instanceof holds.
  define(g, "WebSocket", WorkersWebSocket);
  setDefaultBinaryType(isFlagOn(WEBSOCKET_STANDARD_BINARY_TYPE, options.compatibilityDate, options.compatibilityFlags) ? "blob" : "arraybuffer");
  define(g, "HTMLRewriter", HTMLRewriter);
  define(g, "caches", new CacheStorage(options.stateRoot));
  (g as Record<symbol, unknown>)[CLOUDFLARE_SOCKETS_KEY] = Object.freeze({ connect });

  installNumericTimers(g);
  guardRandomValues(globalThis.crypto);
  installMd5Digest(globalThis.crypto.subtle);

  if (!options.nodejsCompat) {
    // Non-enumerable so `Object.keys(globalThis)` matches a Worker; the names are also shadowed
    // inside the bundle (runtime/shims/hide-node.ts), which is what `typeof process` sees.
    for (const name of NODE_ONLY_GLOBALS) {
      const descriptor = Object.getOwnPropertyDescriptor(g, name);
      if (descriptor?.configurable) Object.defineProperty(g, name, { ...descriptor, enumerable: false });
    }
  }
}

function define(target: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, writable: true, configurable: true, enumerable: false });
}

function flagsObject(flags: string[]): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const flag of flags) out[flag] = true;
  return Object.freeze(out);
}

/**
 * Workers' timers return numbers, Node's return objects. Node timers convert to their numeric id
 * and `clearTimeout(id)` accepts it, so wrapping keeps Node's scheduling and gives Workers' shape.
 *
 * Node's own fetch (undici) also calls the global `setTimeout` and then `.unref()` / `.refresh()`
 * on the result, so numbers get those methods (non-enumerable, on Number.prototype), forwarding
 * to the live Node timer with that id. Without them every outbound fetch threw an uncaught
 * "this.timeout.unref is not a function" and undici's body timeout was never refreshed.
 */
function installNumericTimers(g: Record<string, unknown>): void {
  const nodeSetTimeout = globalThis.setTimeout;
  const nodeSetInterval = globalThis.setInterval;
  const nodeClearTimeout = globalThis.clearTimeout;
  const nodeClearInterval = globalThis.clearInterval;
  const live = new Map<number, NodeJS.Timeout>();
  /** Timers whose callback is running; true once the callback refreshed its timer (it fires again, so it stays live). */
  const firing = new Map<number, boolean>();
  define(g, "setTimeout", (handler: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    assertNotInGlobalScope();
    if (typeof handler !== "function") return Number(nodeSetTimeout(handler, ms, ...args));
    const timer = nodeSetTimeout(
      (...callArgs: unknown[]) => {
        // undici's own clock calls `refresh()` on its timer from inside the callback, to tick again.
        firing.set(id, false);
        try {
          handler(...callArgs);
        } finally {
          if (!firing.get(id)) live.delete(id);
          firing.delete(id);
        }
      },
      ms,
      ...args,
    );
    const id = Number(timer);
    live.set(id, timer);
    return id;
  });
  define(g, "setInterval", (handler: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    assertNotInGlobalScope();
    const timer = nodeSetInterval(handler, ms, ...args);
    const id = Number(timer);
    live.set(id, timer);
    return id;
  });
  // Either clears either kind of timer, as in browsers and Workers.
  const clear = (id?: unknown) => {
    if (typeof id === "number") live.delete(id);
    nodeClearTimeout(id as NodeJS.Timeout);
  };
  define(g, "clearTimeout", clear);
  define(g, "clearInterval", (id?: unknown) => {
    if (typeof id === "number") live.delete(id);
    nodeClearInterval(id as NodeJS.Timeout);
  });
  for (const name of ["ref", "unref", "refresh"] as const) {
    Object.defineProperty(Number.prototype, name, {
      value(this: number) {
        const timer = live.get(Number(this));
        timer?.[name]();
        if (name === "refresh" && firing.has(Number(this))) firing.set(Number(this), true);
        return this;
      },
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
  Object.defineProperty(Number.prototype, "hasRef", {
    value(this: number) {
      return live.get(Number(this))?.hasRef() ?? false;
    },
    writable: true,
    configurable: true,
    enumerable: false,
  });
}

/** `crypto.getRandomValues()` and `crypto.randomUUID()` throw during global-scope evaluation, as in workerd. */
function guardRandomValues(crypto: Crypto): void {
  const getRandomValues = crypto.getRandomValues.bind(crypto);
  const randomUUID = crypto.randomUUID.bind(crypto);
  define(crypto as unknown as Record<string, unknown>, "getRandomValues", (array: ArrayBufferView) => {
    assertNotInGlobalScope();
    return getRandomValues(array);
  });
  define(crypto as unknown as Record<string, unknown>, "randomUUID", () => {
    assertNotInGlobalScope();
    return randomUUID();
  });
}

