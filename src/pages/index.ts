/**
 * Cloudflare Pages projects (`hearth pages dev`): the folder's public entry. Other folders import
 * only from here. index.test.ts pins this list.
 */
export { planPages } from "./plan.js";
export type { PagesFlags, PagesMode, PagesPlan } from "./plan.js";
export { RunningPages } from "./running-pages.js";
export type { RunningPagesOptions } from "./running-pages.js";
export { PagesTarget } from "./pages-target.js";
export type { PagesState } from "./pages-target.js";
export { parseRoutesJson, ROUTES_MAX_RULE_CHARS, ROUTES_MAX_RULES } from "./routes-json.js";
export type { RoutesFilter, RoutesSpec } from "./routes-json.js";
export type { RouteConfig } from "./functions/route-config.js";
