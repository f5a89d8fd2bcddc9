/**
 * Config discovery, as wrangler's `findWranglerConfig`: in the start folder and then each parent,
 * the first of `wrangler.json`, `wrangler.jsonc`, `wrangler.toml` that exists wins.
 */
import fs from "node:fs";
import path from "node:path";

/** File names wrangler looks for, in priority order within one folder. */
export const CONFIG_FILE_NAMES = ["wrangler.json", "wrangler.jsonc", "wrangler.toml"] as const;

export function findConfigPath(startDir: string): string | undefined {
  let dir = path.resolve(startDir);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(dir, name);
      if (isFile(candidate)) return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
