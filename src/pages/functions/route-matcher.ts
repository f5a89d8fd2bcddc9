/**
 * Matching of Functions route paths as wrangler's router does it: `path-to-regexp` 6's `match()`
 * on the route path with regex specials escaped, so only `:name` (one segment) and `:name*`
 * (zero or more segments, an array) are special. Case-insensitive, a trailing `/` tolerated,
 * parameter values left percent-encoded. Pure: runs on the host and inside isolates.
 */

export type Params = Record<string, string | string[]>;

export interface MatchResult {
  /** The part of the pathname the pattern matched (`functionPath`). */
  path: string;
  params: Params;
}

export type Matcher = (pathname: string) => MatchResult | false;

interface Key {
  name: string;
  prefix: string;
  repeat: boolean;
}

const NAME_CHAR = /[0-9A-Za-z_]/;
const SEGMENT = "[^\\/#\\?]+?";
const DELIMITER = "[\\/#\\?]";
const escapeString = (text: string) => text.replace(/([.+*?=^!:${}()[\]|/\\])/g, "\\$1");

function parse(path: string): (string | Key)[] {
  const tokens: (string | Key)[] = [];
  let text = "";
  let i = 0;
  while (i < path.length) {
    const char = path[i]!;
    if (char === ":" && i + 1 < path.length && NAME_CHAR.test(path[i + 1]!)) {
      let name = "";
      i++;
      while (i < path.length && NAME_CHAR.test(path[i]!)) name += path[i++];
      // The character just before the name is its prefix when it is a `/` (regex specials such as
      // `.` arrive escaped in wrangler's router, so `/` is the only prefix there).
      let prefix = "";
      if (text.endsWith("/")) {
        prefix = "/";
        text = text.slice(0, -1);
      }
      if (text) tokens.push(text);
      text = "";
      const repeat = path[i] === "*";
      if (repeat) i++;
      tokens.push({ name, prefix, repeat });
      continue;
    }
    text += char;
    i++;
  }
  if (text) tokens.push(text);
  return tokens;
}

/** `end: true` matches the whole path (a handler); `end: false` a prefix at a segment boundary (a mount). */
export function compileMatcher(path: string, options: { end: boolean }): Matcher {
  const tokens = parse(path);
  const keys: Key[] = [];
  let source = "^";
  for (const token of tokens) {
    if (typeof token === "string") {
      source += escapeString(token);
      continue;
    }
    keys.push(token);
    const prefix = escapeString(token.prefix);
    if (token.repeat) {
      source += prefix
        ? `(?:${prefix}((?:${SEGMENT})(?:${prefix}(?:${SEGMENT}))*))?`
        : `((?:${SEGMENT})*)`;
    } else {
      source += prefix ? `(?:${prefix}(${SEGMENT}))` : `(${SEGMENT})`;
    }
  }
  if (options.end) {
    source += `${DELIMITER}?$`;
  } else {
    const last = tokens[tokens.length - 1];
    const endsWithDelimiter = typeof last === "string" ? /[/#?]$/.test(last) : last === undefined;
    source += `(?:${DELIMITER}(?=$))?`;
    if (!endsWithDelimiter) source += `(?=${DELIMITER}|$)`;
  }
  const regExp = new RegExp(source, "i");
  return (pathname) => {
    const m = regExp.exec(pathname);
    if (!m) return false;
    const params: Params = {};
    for (let i = 1; i < m.length; i++) {
      const value = m[i];
      if (value === undefined) continue;
      const key = keys[i - 1]!;
      params[key.name] = key.repeat ? value.split(key.prefix) : value;
    }
    return { path: m[0], params };
  };
}
