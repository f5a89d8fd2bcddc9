/**
 * Workers' `Cache` (what `caches.default` and `caches.open(name)` return): `put`, `match` and
 * `delete`, keyed by request URL, with Cloudflare's argument checks (errors.ts), storability and
 * lifetime rules (policy.ts), Vary matching, and conditional and range answers (conditional.ts).
 * Matches carry `CF-Cache-Status: HIT`. Runs in the isolate thread, directly on the store files.
 */
import type { R2BodyReader } from "../../bindings/r2/store.js";
import type { Clock } from "../../shared/clock.js";
import { responseWebSocket } from "../workers-response.js";
import { fieldNames } from "./cache-control.js";
import { matchAnswer } from "./conditional.js";
import { cacheError } from "./errors.js";
import { storeDecision } from "./policy.js";
import type { CacheStore } from "./store.js";

export interface CacheQueryOptions {
  ignoreMethod?: boolean;
}

type CacheKey = Request | URL | string;

/** Statuses whose responses never have a body. */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);
const SWITCHING_PROTOCOLS = 101;
const PARTIAL_CONTENT = 206;

export class Cache {
  readonly #store: () => CacheStore;
  readonly #clock: Clock;

  /** `store` opens the cache's files on first use. */
  constructor(store: () => CacheStore, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  async put(request: CacheKey, response: Response): Promise<void> {
    const req = toRequest(request);
    if (!(response instanceof Response)) throw cacheError("notResponse");
    if (req.method !== "GET") throw cacheError("nonGetRequest");
    if (response.status === PARTIAL_CONTENT) throw cacheError("partialContent");
    const vary = response.headers.get("vary");
    if (vary !== null && vary.includes("*")) throw cacheError("varyStar");
    if (response.status === SWITCHING_PROTOCOLS || responseWebSocket(response) !== null) throw cacheError("webSocket");
    if (response.bodyUsed) throw cacheError("bodyUsed");

    const decision = storeDecision(response.status, response.headers, req.headers, this.#clock.now());
    if (decision === undefined) {
      await response.body?.cancel();
      return;
    }
    const varied = fieldNames(vary ?? "").map((name): [string, string | null] => [name, req.headers.get(name)]);
    const head = { status: response.status, statusText: response.statusText, headers: decision.headers, vary: varied, expiresAtMs: decision.expiresAtMs };
    await this.#store().put(req.url, head, streamChunks(response.body));
  }

  async match(request: CacheKey, options?: CacheQueryOptions): Promise<Response | undefined> {
    const req = toRequest(request);
    if (req.method !== "GET" && !options?.ignoreMethod) return undefined;
    const hit = await this.#store().get(req.url);
    if (hit === undefined) return undefined;
    if (!hit.head.vary.every(([name, value]) => req.headers.get(name) === value)) {
      await hit.discard();
      return undefined;
    }
    const headers = new Headers(hit.head.headers);
    headers.set("cf-cache-status", "HIT");
    const answer = matchAnswer(req.headers, headers, hit.size);
    switch (answer.kind) {
      case "not-modified":
        await hit.discard();
        headers.delete("content-length");
        return new Response(null, { status: 304, headers });
      case "unsatisfiable":
        await hit.discard();
        headers.delete("content-length");
        headers.set("content-range", `bytes */${hit.size}`);
        return new Response(null, { status: 416, headers });
      case "partial":
        headers.set("content-range", `bytes ${answer.offset}-${answer.offset + answer.length - 1}/${hit.size}`);
        headers.set("content-length", String(answer.length));
        return new Response(readerStream(hit.read(answer.offset, answer.length)), { status: PARTIAL_CONTENT, headers });
      case "full": {
        const { status, statusText } = hit.head;
        if (NULL_BODY_STATUSES.has(status)) {
          await hit.discard();
          return new Response(null, { status, statusText, headers });
        }
        return new Response(readerStream(hit.read(0, hit.size)), { status, statusText, headers });
      }
    }
  }

  async delete(request: CacheKey, options?: CacheQueryOptions): Promise<boolean> {
    const req = toRequest(request);
    if (req.method !== "GET" && !options?.ignoreMethod) return false;
    return this.#store().delete(req.url);
  }
}

function toRequest(key: CacheKey): Request {
  if (key instanceof Request) return key;
  return new Request(key instanceof URL ? key.href : String(key));
}

async function* streamChunks(body: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
  if (body === null) return;
  const reader = body.getReader();
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) yield next.value;
  } finally {
    reader.releaseLock();
  }
}

function readerStream(reader: R2BodyReader): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await reader.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel() {
        await reader.return();
      },
    },
    { highWaterMark: 0 },
  );
}
