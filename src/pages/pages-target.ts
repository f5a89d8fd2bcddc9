/**
 * What the HTTP server sends a Pages project's requests to. A request goes to the isolate only
 * when code would see it: `_worker.js`, or a Function (middleware or handler) whose route matches,
 * and only if `_routes.json` includes the path. Everything else is answered on the main thread by
 * the asset server, as `env.ASSETS.fetch(request)` would answer it. An advanced-mode Worker that
 * called `passThroughOnException()` and then threw is answered by the asset server too.
 */
import type { Readable } from "node:stream";
import type { AssetServer } from "../bindings/assets/index.js";
import type { IsolateResponse, ScheduledResult } from "../runtime/isolate.js";
import { HandlerError } from "../runtime/isolate-errors.js";
import type { WireRequest } from "../runtime/protocol.js";
import type { WorkerService } from "../runtime/worker-service.js";
import type { FetchTarget } from "../server/http.js";
import { serveAsset } from "./asset-response.js";
import { runsFunctions, type CompiledRoute } from "./functions/chain.js";
import type { RoutesFilter } from "./routes-json.js";

/** The parts of a running Pages project the target reads per request (they change on reload). */
export interface PagesState {
  assets(): AssetServer;
  /** The isolate running `_worker.js` or the Functions, if any. */
  worker(): WorkerService | undefined;
  /** The Functions route table, or undefined in advanced mode (every path runs `_worker.js`). */
  routes(): CompiledRoute<string>[] | undefined;
  routesFilter(): RoutesFilter;
}

export class PagesTarget implements FetchTarget {
  constructor(private readonly state: PagesState) {}

  async fetch(request: Omit<WireRequest, "id" | "body">, body?: Readable | Uint8Array): Promise<IsolateResponse> {
    const worker = this.state.worker();
    if (worker && this.needsWorker(request)) {
      try {
        return await worker.fetch(request, body);
      } catch (error) {
        if (error instanceof HandlerError && error.passThrough) return serveAsset(this.state.assets(), request);
        throw error;
      }
    }
    // The asset server never reads a request body; let a streamed one drain.
    if (body !== undefined && !(body instanceof Uint8Array)) body.resume();
    return serveAsset(this.state.assets(), request);
  }

  scheduled(cron: string, scheduledTime: number): Promise<ScheduledResult> {
    const worker = this.state.worker();
    if (worker) return worker.scheduled(cron, scheduledTime);
    return Promise.resolve({
      outcome: "exception",
      noRetry: false,
      error: { name: "Error", message: "This Pages project has no Worker", stack: "Error: This Pages project has no _worker.js and no Functions, so nothing handles scheduled events." },
    });
  }

  private needsWorker(request: Pick<WireRequest, "method" | "url">): boolean {
    const { pathname } = new URL(request.url);
    if (!this.state.routesFilter().toWorker(pathname)) return false;
    const routes = this.state.routes();
    return routes === undefined || runsFunctions(routes, request.method, pathname);
  }
}
