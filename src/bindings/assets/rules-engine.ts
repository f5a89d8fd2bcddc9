/**
 * URL patterns of `_headers` and `_redirects` rules, matched as the Pages asset server matches
 * them: one `*` splat (greedy, may cross `/`, available as `:splat`), `:name` placeholders (one
 * path segment; in the host of an absolute `https://` rule, one label), everything else literal.
 * Absolute rules are tested against `https://<hostname><pathname>` whatever the request's scheme
 * and port; relative ones against the pathname, exactly (no case or trailing-slash folding).
 */

export type Replacements = Record<string, string>;

export interface CompiledRule<T> {
  regExp: RegExp;
  crossHost: boolean;
  value: T;
}

const ESCAPE_CHARACTERS = /[-/\\^$*+?.()|[\]{}]/g;
const escapeRegExp = (text: string) => text.replace(ESCAPE_CHARACTERS, "\\$&");
/** A placeholder in the host of an escaped absolute rule (`https:\/\/:sub.example.com`). */
const HOST_PLACEHOLDER = /(?<=^https:\\\/\\\/[^/]*?):([A-Za-z]\w*)(?=\\)/g;
const PLACEHOLDER = /:([A-Za-z]\w*)/g;

/** Compiles one pattern; undefined when it makes no valid regular expression (the rule is skipped). */
export function compilePattern(pattern: string): { regExp: RegExp; crossHost: boolean } | undefined {
  const crossHost = pattern.startsWith("https://");
  let source = pattern.split("*").map(escapeRegExp).join("(?<splat>.*)");
  for (const match of source.matchAll(HOST_PLACEHOLDER)) source = source.split(match[0]).join(`(?<${match[1]}>[^/.]+)`);
  for (const match of source.matchAll(PLACEHOLDER)) source = source.split(match[0]).join(`(?<${match[1]}>[^/]+)`);
  try {
    return { regExp: new RegExp(`^${source}$`), crossHost };
  } catch {
    return undefined;
  }
}

export function compileRules<T>(rules: [pattern: string, value: T][]): CompiledRule<T>[] {
  const compiled: CompiledRule<T>[] = [];
  for (const [pattern, value] of rules) {
    const result = compilePattern(pattern);
    if (result) compiled.push({ ...result, value });
  }
  return compiled;
}

/** Every rule matching the URL, in rule order, with the values its splat and placeholders took. */
export function matchRules<T>(rules: CompiledRule<T>[], url: URL): { value: T; replacements: Replacements }[] {
  const out: { value: T; replacements: Replacements }[] = [];
  for (const rule of rules) {
    const subject = rule.crossHost ? `https://${url.hostname}${url.pathname}` : url.pathname;
    const result = rule.regExp.exec(subject);
    if (result) out.push({ value: rule.value, replacements: { ...result.groups } });
  }
  return out;
}

/** Substitutes `:name` (and `:splat`) in a rule's target or header value. */
export function replacePlaceholders(text: string, replacements: Replacements): string {
  let out = text;
  for (const [name, value] of Object.entries(replacements)) out = out.replaceAll(`:${name}`, value);
  return out;
}

const ABSOLUTE_RULE_URL = /^https:\/\/+(?<host>[^/]+)\/?(?<path>.*)/;

function pathOf(path: string, includeSearch: boolean, includeHash: boolean): string {
  const url = new URL(`//${path.startsWith("/") ? path : `/${path}`}`, "relative://");
  return `${url.pathname}${includeSearch ? url.search : ""}${includeHash ? url.hash : ""}`;
}

/**
 * Validates and normalises a rule's URL token as the Pages parsers do: a path starting with `/`
 * (percent-encoded where needed), or, unless `onlyRelative`, an `https://host/path` URL.
 */
export function normalizeRuleUrl(
  token: string,
  options: { onlyRelative: boolean; includeSearch: boolean; includeHash: boolean },
): { url: string } | { error: string } {
  const absolute = ABSOLUTE_RULE_URL.exec(token);
  if (absolute?.groups?.host) {
    if (options.onlyRelative) return { error: `Only relative URLs are allowed. Skipping absolute URL ${token}.` };
    return { url: `https://${absolute.groups.host}${pathOf(absolute.groups.path ?? "", options.includeSearch, options.includeHash)}` };
  }
  const candidate = !token.startsWith("/") && options.onlyRelative ? `/${token}` : token;
  if (candidate.startsWith("/")) {
    try {
      return { url: pathOf(candidate, options.includeSearch, options.includeHash) };
    } catch {
      return { error: `Error parsing URL segment ${candidate}. Skipping.` };
    }
  }
  return {
    error: options.onlyRelative
      ? "URLs should begin with a forward-slash."
      : 'URLs should either be relative (e.g. begin with a forward-slash), or use HTTPS (e.g. begin with "https://").',
  };
}
