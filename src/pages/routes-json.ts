/**
 * `_routes.json` (api-surface.md 2.6): which request paths invoke Functions or `_worker.js`.
 * Validated with wrangler's rules and messages; matched on the raw pathname, exclude first.
 */

/** https://developers.cloudflare.com/pages/functions/routing/#limits */
export const ROUTES_MAX_RULES = 100;
export const ROUTES_MAX_RULE_CHARS = 100;
export const ROUTES_SPEC_VERSION = 1;

export interface RoutesSpec {
  version: number;
  include: string[];
  exclude: string[];
  description?: string;
}

export interface RoutesFilter {
  /** true when the path goes to the Worker (Functions / `_worker.js`), false for static assets. */
  toWorker(pathname: string): boolean;
}

/** Every path goes to the Worker: the filter when there is no `_routes.json`. */
export const ALL_TO_WORKER: RoutesFilter = { toWorker: () => true };

/** Parses and validates the file's text; throws an Error with wrangler's message when invalid. */
export function parseRoutesJson(text: string, file: string): RoutesSpec {
  const prefix = `Invalid _routes.json file found at: ${file}\n`;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${prefix}It is not valid JSON: ${(error as Error).message}`);
  }
  const spec = data as RoutesSpec;
  const isSpec =
    typeof data === "object" && data !== null && spec.version === ROUTES_SPEC_VERSION &&
    Array.isArray(spec.include) && Array.isArray(spec.exclude) &&
    [...spec.include, ...spec.exclude].every((rule) => typeof rule === "string");
  if (!isSpec) {
    throw new Error(
      `${prefix}Please make sure the JSON object has the following format:\n{\n\tversion: ${ROUTES_SPEC_VERSION};\n\tinclude: string[];\n\texclude: string[];\n}\nand that at least one include rule is provided.`,
    );
  }
  const rules = [...spec.include, ...spec.exclude];
  if (spec.include.length === 0) throw new Error(`${prefix}Routes must have at least 1 include rule, but no include rules were detected.`);
  if (rules.length > ROUTES_MAX_RULES) {
    throw new Error(`${prefix}Detected rules that are over the ${ROUTES_MAX_RULES} rule limit. Please make sure you have a total of ${ROUTES_MAX_RULES} include and exclude rules combined.`);
  }
  if (rules.some((rule) => rule.length > ROUTES_MAX_RULE_CHARS)) {
    throw new Error(`${prefix}Detected rules the are over the ${ROUTES_MAX_RULE_CHARS} character limit. Please make sure that each include and exclude routing rule is at most ${ROUTES_MAX_RULE_CHARS} characters long.`);
  }
  if (rules.some((rule) => !rule.startsWith("/"))) throw new Error(`${prefix}All rules must start with '/'.`);
  if (overlaps(spec.include) || overlaps(spec.exclude)) {
    throw new Error(
      `${prefix}Overlapping rules found. Please make sure that rules ending with a splat (eg. "/api/*") don't overlap any other rules (eg. "/api/foo"). This applies to both include and exclude rules individually.`,
    );
  }
  return spec;
}

/** A rule ending in `/*` must not be a prefix of another rule of the same list. */
function overlaps(rules: string[]): boolean {
  return rules.some((rule) => rule.endsWith("/*") && rules.some((other) => other !== rule && other.startsWith(rule.slice(0, -1))));
}

/**
 * One rule as a regular expression: `*` matches anything (also `/`); `/foo/*` matches `/foo` too;
 * a rule without a trailing `*` also matches with a trailing `/`; everything else is literal.
 */
export function ruleToRegExp(rule: string): RegExp {
  let body: string;
  if (rule === "/" || rule === "/*") body = rule;
  else if (rule.endsWith("/*")) body = `${rule.slice(0, -2)}\u0000(/*)?`;
  else if (rule.endsWith("/")) body = `${rule.slice(0, -1)}\u0000(/)?`;
  else if (rule.endsWith("*")) body = rule;
  else body = `${rule}\u0000(/)?`;
  const [literal, optional = ""] = body.split("\u0000");
  const escape = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escape(literal!)}${optional.replace("/*", "/.*")}$`);
}

export function routesFilter(spec: RoutesSpec): RoutesFilter {
  const include = spec.include.map(ruleToRegExp);
  const exclude = spec.exclude.map(ruleToRegExp);
  return {
    toWorker: (pathname) => !exclude.some((r) => r.test(pathname)) && include.some((r) => r.test(pathname)),
  };
}
