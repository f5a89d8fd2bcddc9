/**
 * `_headers`: custom response headers for static assets (api-surface.md 2.4), parsed and applied
 * as Cloudflare Pages does. A rule is an unindented URL pattern followed by indented
 * `Name: value` lines (or `! Name` to remove a header); `#` starts a comment line.
 */
import { compileRules, matchRules, normalizeRuleUrl, replacePlaceholders, type CompiledRule } from "./rules-engine.js";

/** https://developers.cloudflare.com/pages/configuration/headers/ — limits */
export const HEADERS_MAX_RULES = 100;
export const HEADERS_MAX_LINE_CHARS = 2000;

export interface HeaderRule {
  path: string;
  /** Lowercased header name → value; a name given twice in one rule is joined with ", ". */
  set: Record<string, string>;
  unset: string[];
}

export interface InvalidLine {
  line?: string;
  lineNumber?: number;
  message: string;
}

export interface ParsedHeaders {
  rules: HeaderRule[];
  invalid: InvalidLine[];
}

const LINE_IS_PROBABLY_A_PATH = /^([^\s]+:\/\/|^\/)/;
const UNSET_OPERATOR = "! ";

export function parseHeadersFile(input: string): ParsedHeaders {
  const lines = input.split("\n");
  const rules: HeaderRule[] = [];
  const invalid: InvalidLine[] = [];
  let rule: (HeaderRule & { line: string }) | undefined;
  const close = (lineNumber?: number) => {
    if (!rule) return;
    if (Object.keys(rule.set).length > 0 || rule.unset.length > 0) rules.push({ path: rule.path, set: rule.set, unset: rule.unset });
    else invalid.push({ line: rule.line, lineNumber, message: "No headers specified" });
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line.length === 0 || line.startsWith("#")) continue;
    if (line.length > HEADERS_MAX_LINE_CHARS) {
      invalid.push({ message: `Ignoring line ${i + 1} as it exceeds the maximum allowed length of ${HEADERS_MAX_LINE_CHARS}.` });
      continue;
    }
    if (LINE_IS_PROBABLY_A_PATH.test(line)) {
      if (rules.length >= HEADERS_MAX_RULES) {
        invalid.push({ message: `Maximum number of rules supported is ${HEADERS_MAX_RULES}. Skipping remaining ${lines.length - i} lines of file.` });
        rule = undefined;
        break;
      }
      close(i + 1);
      const path = normalizeRuleUrl(line, { onlyRelative: false, includeSearch: true, includeHash: false });
      if ("error" in path) {
        invalid.push({ line, lineNumber: i + 1, message: path.error });
        rule = undefined;
        continue;
      }
      rule = { path: path.url, line, set: {}, unset: [] };
      continue;
    }
    if (!line.includes(":")) {
      if (!rule) invalid.push({ line, lineNumber: i + 1, message: "Expected a path beginning with at least one forward-slash" });
      else if (line.startsWith(UNSET_OPERATOR)) rule.unset.push(line.slice(UNSET_OPERATOR.length).trim());
      else invalid.push({ line, lineNumber: i + 1, message: "Expected a colon-separated header pair (e.g. name: value)" });
      continue;
    }
    const [rawName, ...rawValue] = line.split(":");
    const name = rawName!.trim().toLowerCase();
    const value = rawValue.join(":").trim();
    if (name.includes(" ")) invalid.push({ line, lineNumber: i + 1, message: "Header name cannot include spaces" });
    else if (name === "") invalid.push({ line, lineNumber: i + 1, message: "No header name specified" });
    else if (value === "") invalid.push({ line, lineNumber: i + 1, message: "No header value specified" });
    else if (!rule) invalid.push({ line, lineNumber: i + 1, message: `Path should come before header (${name}: ${value})` });
    else rule.set[name] = rule.set[name] ? `${rule.set[name]}, ${value}` : value;
  }
  close();
  return { rules, invalid };
}

export type HeaderRules = CompiledRule<HeaderRule>[];

export function compileHeaderRules(parsed: ParsedHeaders): HeaderRules {
  return compileRules(parsed.rules.map((rule) => [rule.path, rule]));
}

/**
 * Applies every rule matching the request URL, in file order: `! Name` removes a header (a
 * default one, or one an earlier rule set); a header set by several rules is appended (`a, b`);
 * otherwise a rule's value replaces the default.
 */
export function applyHeaderRules(rules: HeaderRules, url: URL, headers: Headers): void {
  const setByRules = new Set<string>();
  for (const { value: rule, replacements } of matchRules(rules, url)) {
    for (const name of rule.unset) headers.delete(name);
    for (const [name, value] of Object.entries(rule.set)) {
      const replaced = replacePlaceholders(value, replacements);
      if (setByRules.has(name)) headers.append(name, replaced);
      else {
        headers.set(name, replaced);
        setByRules.add(name);
      }
    }
  }
}
