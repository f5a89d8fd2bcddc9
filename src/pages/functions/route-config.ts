/**
 * The route table of a Pages `functions/` folder (api-surface.md 2.1), as wrangler's
 * `generateConfigFromFileTree` builds it: one entry per (route path, method), holding the
 * handlers (`module`) and the middleware that files export, sorted most specific first.
 */

export type HttpMethod = "" | "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS" | "HEAD";

/** `file:exportName` of one handler, the file relative to the functions folder with `/`. */
export type HandlerRef = string;

export interface RouteConfig {
  /** `/users/:id`, `/files/:path*`, `/` … */
  routePath: string;
  /** The folder the route's file is in (for a middleware or index file: its own folder). */
  mountPath: string;
  /** "" for `onRequest` (any method). */
  method: HttpMethod;
  middleware?: HandlerRef[];
  module?: HandlerRef[];
}

/** Exports that define routes, and the method each one answers. */
export const HANDLER_EXPORT = /^onRequest(Get|Post|Put|Patch|Delete|Options|Head)?$/;
/** Extensions of the files scanned for handlers. */
export const FUNCTION_FILE = /\.(mjs|js|ts|tsx|jsx)$/;
const PARAM_NAME = /^[A-Za-z0-9_]+$/;

/**
 * Route entries for the handler exports of one file. `relativePath` is the file's path inside the
 * functions folder with `/` separators (`users/[id].js`). Returns an error message for an invalid
 * parameter name (wrangler's wording).
 */
export function routesForFile(relativePath: string, exportNames: string[]): RouteConfig[] | { error: string } {
  const withoutExt = relativePath.replace(FUNCTION_FILE, "");
  for (const match of withoutExt.matchAll(/\[\[([^\]]*)\]\]|\[([^\]]*)\]/g)) {
    const name = match[1] ?? match[2] ?? "";
    if (!PARAM_NAME.test(name)) {
      return { error: `Invalid Pages function route parameter - "${match[0]}". Parameter names must only contain alphanumeric and underscore characters.` };
    }
  }
  const basename = withoutExt.slice(withoutExt.lastIndexOf("/") + 1);
  const isMiddleware = basename === "_middleware" || basename === "_middleware_";
  const dir = withoutExt.includes("/") ? withoutExt.slice(0, withoutExt.lastIndexOf("/")) : "";
  const routeRel = basename === "index" || isMiddleware ? dir : withoutExt;
  const routePath = toPattern(`/${routeRel}`);
  const mountPath = toPattern(`/${dir}`);
  const entries: RouteConfig[] = [];
  for (const exportName of exportNames) {
    const match = HANDLER_EXPORT.exec(exportName);
    if (!match) continue;
    const entry: RouteConfig = { routePath, mountPath, method: (match[1] ?? "").toUpperCase() as HttpMethod };
    entry[isMiddleware ? "middleware" : "module"] = [`${relativePath}:${exportName}`];
    entries.push(entry);
  }
  return entries;
}

/** `[[name]]` → `:name*`, `[name]` → `:name`. */
function toPattern(path: string): string {
  return path.replace(/\[\[([^\]]+)\]\]/g, ":$1*").replace(/\[([^\]]+)\]/g, ":$1");
}

/**
 * Merges entries with the same route path and method (a folder's index file and its middleware
 * become one entry; for two handler files of one route the later one wins), then sorts them.
 */
export function buildRouteTable(entries: RouteConfig[]): RouteConfig[] {
  const merged: RouteConfig[] = [];
  for (const entry of entries) {
    const existing = merged.find((e) => e.routePath === entry.routePath && e.method === entry.method);
    if (existing) Object.assign(existing, entry);
    else merged.push({ ...entry });
  }
  return merged.sort(compareRoutes);
}

/**
 * Most specific first: more segments first; then, segment by segment, static before `:param`
 * before `*`; then method-specific before `onRequest`; then by path.
 */
export function compareRoutes(a: RouteConfig, b: RouteConfig): number {
  const segmentsA = a.routePath.slice(1).split("/").filter(Boolean);
  const segmentsB = b.routePath.slice(1).split("/").filter(Boolean);
  if (segmentsA.length !== segmentsB.length) return segmentsB.length - segmentsA.length;
  for (let i = 0; i < segmentsA.length; i++) {
    const wildcardA = segmentsA[i]!.includes("*");
    const wildcardB = segmentsB[i]!.includes("*");
    if (wildcardA !== wildcardB) return wildcardA ? 1 : -1;
    const paramA = segmentsA[i]!.includes(":");
    const paramB = segmentsB[i]!.includes(":");
    if (paramA !== paramB) return paramA ? 1 : -1;
  }
  if (a.method && !b.method) return -1;
  if (!a.method && b.method) return 1;
  return a.routePath.localeCompare(b.routePath);
}
