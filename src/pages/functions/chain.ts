/**
 * Which Functions handlers a request runs, in order (api-surface.md 2.2), as wrangler's
 * pages-template-worker picks them: first the middleware of every route whose path is a prefix of
 * the request path, outermost first; then the handlers of the first route matching exactly.
 * Routes answer only their method (`onRequest` answers all). Pure: the host uses it to skip
 * isolates for requests no Function handles; the router uses it inside the isolate.
 */
import { compileMatcher, type Matcher, type Params } from "./route-matcher.js";

export interface RouteHandlers<H> {
  routePath: string;
  mountPath: string;
  /** "" for any method. */
  method: string;
  /** One entry per export; an export may itself be an array of handlers, run in order. */
  middlewares: (H | H[])[];
  modules: (H | H[])[];
}

export interface CompiledRoute<H> extends RouteHandlers<H> {
  routePrefix: Matcher;
  routeExact: Matcher;
  mount: Matcher;
}

export interface ChainStep<H> {
  handler: H;
  params: Params;
  /** `functionPath`: the matched part of the pathname. */
  path: string;
}

/** Compiles the routes (given most specific first, as the route table sorts them). */
export function compileRoutes<H>(routes: RouteHandlers<H>[]): CompiledRoute<H>[] {
  return routes.map((route) => ({
    ...route,
    routePrefix: compileMatcher(route.routePath, { end: false }),
    routeExact: compileMatcher(route.routePath, { end: true }),
    mount: compileMatcher(route.mountPath, { end: false }),
  }));
}

export function* handlerChain<H>(routes: CompiledRoute<H>[], method: string, pathname: string): Generator<ChainStep<H>> {
  for (let i = routes.length - 1; i >= 0; i--) {
    const route = routes[i]!;
    if (route.method && route.method !== method) continue;
    const matched = route.routePrefix(pathname);
    const mounted = route.mount(pathname);
    if (!matched || !mounted) continue;
    for (const handler of route.middlewares.flat() as H[]) yield { handler, params: matched.params, path: mounted.path };
  }
  for (const route of routes) {
    if (route.method && route.method !== method) continue;
    const matched = route.routeExact(pathname);
    if (!matched || !route.mount(pathname) || route.modules.length === 0) continue;
    for (const handler of route.modules.flat() as H[]) yield { handler, params: matched.params, path: matched.path };
    return;
  }
}

/** true when some Function (middleware or handler) would run for the request. */
export function runsFunctions<H>(routes: CompiledRoute<H>[], method: string, pathname: string): boolean {
  return !handlerChain(routes, method, pathname).next().done;
}
