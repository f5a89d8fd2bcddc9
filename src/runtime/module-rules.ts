/**
 * wrangler's module rules: which imported files become text, binary data or compiled
 * WebAssembly instead of JavaScript. Config `rules` come first; a rule without `fallthrough`
 * replaces the default rule of the same type.
 * https://developers.cloudflare.com/workers/wrangler/bundling/#including-non-javascript-modules
 */
export type ModuleRuleType = "ESModule" | "CommonJS" | "CompiledWasm" | "Text" | "Data";

export interface ModuleRule {
  /** A ModuleRuleType; other types (PythonModule ...) are accepted and have no effect. */
  type: ModuleRuleType | (string & {});
  globs: string[];
  fallthrough?: boolean;
}

export const DEFAULT_MODULE_RULES: readonly ModuleRule[] = [
  { type: "Text", globs: ["**/*.txt", "**/*.html", "**/*.sql"] },
  { type: "Data", globs: ["**/*.bin"] },
  { type: "CompiledWasm", globs: ["**/*.wasm", "**/*.wasm?module"] },
];

export interface CompiledRule {
  type: "Text" | "Data" | "CompiledWasm";
  test(path: string): boolean;
}

export function compileModuleRules(userRules: readonly ModuleRule[] = []): CompiledRule[] {
  const replaced = new Set(userRules.filter((r) => !r.fallthrough).map((r) => r.type));
  const rules = [...userRules, ...DEFAULT_MODULE_RULES.filter((r) => !replaced.has(r.type))];
  const compiled: CompiledRule[] = [];
  for (const rule of rules) {
    // JavaScript rules are esbuild's own business.
    if (!isNonJavaScript(rule.type)) continue;
    const patterns = rule.globs.map(globToRegExp);
    compiled.push({ type: rule.type, test: (path) => patterns.some((p) => p.test(path)) });
  }
  return compiled;
}

function isNonJavaScript(type: string): type is CompiledRule["type"] {
  return type === "Text" || type === "Data" || type === "CompiledWasm";
}

/** `**` crosses folders, `*` stays within one, `?` is one character; matched against the path's end. */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*" && glob[i + 1] === "*") {
      source += ".*";
      i++;
      if (glob[i + 1] === "/") i++;
    } else if (c === "*") source += "[^/]*";
    else if (c === "?" && !glob.slice(i).startsWith("?module")) source += "[^/]";
    else source += c.replace(/[.+^${}()|[\]\\?]/g, "\\$&");
  }
  return new RegExp(`(^|/)${source}$`);
}
