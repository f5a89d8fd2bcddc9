/**
 * The Pages Functions router, bundled into the generated entry of a `functions/` folder and run
 * inside the isolate (api-surface.md 2.2, wrangler's pages-template-worker): each handler gets a
 * fresh EventContext; `next()` runs the next handler, and after the last one `env.ASSETS`;
 * `passThroughOnException()` makes an uncaught error fall through to `env.ASSETS`.
 */
import { compileRoutes, handlerChain, type RouteHandlers } from "./chain.js";
import type { Params } from "./route-matcher.js";

export interface EventContext {
  request: Request;
  functionPath: string;
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
  next(input?: Request | string | URL, init?: RequestInit): Promise<Response>;
  env: Record<string, unknown>;
  params: Params;
  data: Record<string, unknown>;
}

export type PagesFunction = (context: EventContext) => Response | Promise<Response>;

interface Fetcher {
  fetch(input: Request | string | URL, init?: RequestInit): Promise<Response>;
}

interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
}

const NULL_BODY_STATUSES = [101, 204, 205, 304];

/** Makes a Response's headers mutable, as Pages hands every response back through `next()`. */
function cloneResponse(response: Response): Response {
  return new Response(NULL_BODY_STATUSES.includes(response.status) ? null : response.body, response);
}

export function createPagesRouter(routes: RouteHandlers<PagesFunction>[]) {
  const compiled = compileRoutes(routes);
  return {
    async fetch(originalRequest: Request, env: Record<string, unknown>, ctx: ExecutionContext): Promise<Response> {
      const assets = env["ASSETS"] as Fetcher;
      let request = originalRequest;
      const steps = handlerChain(compiled, request.method, new URL(request.url).pathname);
      const data: Record<string, unknown> = {};
      let failOpen = false;

      const next = async (input?: Request | string | URL, init?: RequestInit): Promise<Response> => {
        if (input !== undefined) {
          request = new Request(typeof input === "string" ? new URL(input, request.url).toString() : input, init);
        }
        const step = steps.next();
        if (step.done) return cloneResponse(await assets.fetch(request));
        const { handler, params, path } = step.value;
        const context: EventContext = {
          request: new Request(request.clone()),
          functionPath: path,
          next,
          params,
          get data() {
            return data;
          },
          set data(value) {
            if (typeof value !== "object" || value === null) throw new Error("context.data must be an object");
            Object.assign(data, value);
          },
          env,
          waitUntil: (promise) => ctx.waitUntil(promise),
          passThroughOnException: () => {
            failOpen = true;
          },
        };
        const response = await handler(context);
        if (!(response instanceof Response)) throw new Error("Your Pages function should return a Response");
        return cloneResponse(response);
      };

      try {
        return await next();
      } catch (error) {
        if (failOpen) return cloneResponse(await assets.fetch(request));
        throw error;
      }
    },
  };
}
