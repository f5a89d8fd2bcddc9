/**
 * Turns a worker thread's global object into the Workers global scope before user code loads.
 * Runs inside the isolate thread. Node 20 already provides most Web APIs (fetch, Request,
 * streams, crypto.subtle, structuredClone, ...); this adds what Workers has and Node lacks, and
 * hides what Node has and Workers lacks. See docs/architecture.md for what stays reachable.
 */
import { URLPattern } from "urlpattern-polyfill/urlpattern";
import { WebSocketPair, WebSocketRequestResponsePair } from "./websocket-pair.js";
import { workersResponseClass } from "./workers-response.js";
import { installMd5Digest } from "./md5-digest.js";
import { HTMLRewriter } from "./html-rewriter/html-rewriter.js";
import { CacheStorage } from "./cache/cache-storage.js";

/** Node globals a Worker must not see unless `nodejs_compat` is on. */
const NODE_ONLY_GLOBALS = ["process", "Buffer", "global", "setImmediate", "clearImmediate"] as const;

export interface GlobalScopeOptions {
  nodejsCompat: boolean;
  compatibilityFlags: string[];
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
  define(g, "Response", workersResponseClass(globalThis.Response));
  define(g, "HTMLRewriter", HTMLRewriter);
  define(g, "caches", new CacheStorage(options.stateRoot));

  installNumericTimers(g);
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
 */
function installNumericTimers(g: Record<string, unknown>): void {
  const nodeSetTimeout = globalThis.setTimeout;
  const nodeSetInterval = globalThis.setInterval;
  define(g, "setTimeout", (handler: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) =>
    Number(nodeSetTimeout(handler, ms, ...args)),
  );
  define(g, "setInterval", (handler: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) =>
    Number(nodeSetInterval(handler, ms, ...args)),
  );
}
