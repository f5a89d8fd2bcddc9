/**
 * `_redirects`: redirect and rewrite rules for static assets (api-surface.md 2.5), parsed and
 * matched as Cloudflare Pages does. One rule per line: `source destination [status]`.
 * Static rules (no splat, no placeholder) that come before the first dynamic rule are looked up
 * exactly; the rest are tried in order. The first match wins.
 */
import { compilePattern, compileRules, matchRules, normalizeRuleUrl, replacePlaceholders, type CompiledRule } from "./rules-engine.js";
import type { InvalidLine } from "./headers-file.js";

/** https://developers.cloudflare.com/pages/configuration/redirects/ — limits */
export const REDIRECTS_MAX_STATIC_RULES = 2000;
export const REDIRECTS_MAX_DYNAMIC_RULES = 100;
export const REDIRECTS_MAX_LINE_CHARS = 2000;

const PERMITTED_STATUS_CODES = new Set([200, 301, 302, 303, 307, 308]);
const SPLAT = /\*/;
const PLACEHOLDER = /:\w+/;
const INFINITE_LOOP_MESSAGE =
  "Infinite loop detected in this rule and has been ignored. This will cause a redirect to strip `.html` or `/index` and end up triggering this rule again. Please fix or remove this rule to silence this warning.";

export interface RedirectRule {
  from: string;
  to: string;
  status: number;
  lineNumber: number;
}

export interface ParsedRedirects {
  rules: RedirectRule[];
  invalid: InvalidLine[];
}

const isDynamic = (from: string) => SPLAT.test(from) || PLACEHOLDER.test(from);

export function parseRedirectsFile(input: string): ParsedRedirects {
  const lines = input.split("\n");
  const rules: RedirectRule[] = [];
  const invalid: InvalidLine[] = [];
  const seen = new Set<string>();
  let staticRules = 0;
  let dynamicRules = 0;
  let canCreateStaticRule = true;

  for (let i = 0; i < lines.length; i++) {
    // A ` #` after the rule starts a comment.
    const line = lines[i]!.replace(/\s+#.*$/, "").trim();
    if (line.length === 0 || line.startsWith("#")) continue;
    const lineNumber = i + 1;
    if (line.length > REDIRECTS_MAX_LINE_CHARS) {
      invalid.push({ message: `Ignoring line ${lineNumber} as it exceeds the maximum allowed length of ${REDIRECTS_MAX_LINE_CHARS}.` });
      continue;
    }
    const tokens = line.split(/\s+/);
    if (tokens.length < 2 || tokens.length > 3) {
      invalid.push({ line, lineNumber, message: `Expected exactly 2 or 3 whitespace-separated tokens. Got ${tokens.length}.` });
      continue;
    }
    const [rawFrom, rawTo, rawStatus = "302"] = tokens as [string, string, string?];
    const from = normalizeRuleUrl(rawFrom, { onlyRelative: true, includeSearch: false, includeHash: false });
    if ("error" in from) {
      invalid.push({ line, lineNumber, message: from.error });
      continue;
    }
    if (canCreateStaticRule && !isDynamic(from.url)) {
      if (++staticRules > REDIRECTS_MAX_STATIC_RULES) {
        invalid.push({ message: `Maximum number of static rules supported is ${REDIRECTS_MAX_STATIC_RULES}. Skipping line.` });
        continue;
      }
    } else {
      canCreateStaticRule = false;
      if (++dynamicRules > REDIRECTS_MAX_DYNAMIC_RULES) {
        invalid.push({ message: `Maximum number of dynamic rules supported is ${REDIRECTS_MAX_DYNAMIC_RULES}. Skipping remaining ${lines.length - i} lines of file.` });
        break;
      }
    }
    const to = normalizeRuleUrl(rawTo, { onlyRelative: false, includeSearch: true, includeHash: true });
    if ("error" in to) {
      invalid.push({ line, lineNumber, message: to.error });
      continue;
    }
    const status = Number(rawStatus);
    if (!PERMITTED_STATUS_CODES.has(status)) {
      invalid.push({ line, lineNumber, message: `Valid status codes are 200, 301, 302 (default), 303, 307, or 308. Got ${rawStatus}.` });
      continue;
    }
    if (loopsWithHtmlHandling(from.url, to.url)) {
      invalid.push({ line, lineNumber, message: INFINITE_LOOP_MESSAGE });
      continue;
    }
    if (seen.has(from.url)) {
      invalid.push({ line, lineNumber, message: `Ignoring duplicate rule for path ${from.url}.` });
      continue;
    }
    seen.add(from.url);
    if (status === 200 && !to.url.startsWith("/")) {
      invalid.push({ line, lineNumber, message: `Proxy (200) redirects can only point to relative paths. Got ${to.url}` });
      continue;
    }
    rules.push({ from: from.url, to: to.url, status, lineNumber });
  }
  return { rules, invalid };
}

/**
 * A rule whose destination the asset server would itself redirect (`/x/index.html` → `/x/`,
 * `/x.html` → `/x`) to a URL the rule matches again: following it would never end.
 */
function loopsWithHtmlHandling(from: string, to: string): boolean {
  if (!to.startsWith("/")) return false;
  const path = to.replace(/[?#].*$/, "");
  let pretty: string | undefined;
  if (/\/index(\.html)?$/.test(path)) pretty = path.replace(/index(\.html)?$/, "");
  else if (path.endsWith(".html")) pretty = path.slice(0, -".html".length);
  if (pretty === undefined) return false;
  return compilePattern(from)?.regExp.test(pretty) ?? false;
}

export interface RedirectRules {
  /** Static rules by source path (or `https://host/path`). */
  static: Map<string, RedirectRule>;
  dynamic: CompiledRule<RedirectRule>[];
}

export function compileRedirectRules(parsed: ParsedRedirects): RedirectRules {
  const staticRules = new Map<string, RedirectRule>();
  const dynamic: [string, RedirectRule][] = [];
  let canCreateStaticRule = true;
  for (const rule of parsed.rules) {
    if (canCreateStaticRule && !isDynamic(rule.from)) {
      staticRules.set(rule.from, rule);
      continue;
    }
    canCreateStaticRule = false;
    dynamic.push([rule.from, rule]);
  }
  return { static: staticRules, dynamic: compileRules(dynamic) };
}

/** The first rule matching the URL, with its destination's placeholders filled in. */
export function matchRedirect(rules: RedirectRules, url: URL): { status: number; to: string } | undefined {
  const withHost = rules.static.get(`https://${url.host}${url.pathname}`);
  const withoutHost = rules.static.get(url.pathname);
  const found = withHost && withoutHost ? (withHost.lineNumber < withoutHost.lineNumber ? withHost : withoutHost) : (withHost ?? withoutHost);
  if (found) return { status: found.status, to: found.to };
  const [first] = matchRules(rules.dynamic, url);
  return first && { status: first.value.status, to: replacePlaceholders(first.value.to, first.replacements) };
}
