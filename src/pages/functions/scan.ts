/**
 * Scans a `functions/` folder into its route table: every `.js .mjs .ts .tsx .jsx` file is parsed
 * (esbuild, not bundled) to list its exports; `onRequest*` exports become routes. Folders are
 * walked breadth first in name order, so for `foo.js` and `foo/index.js` the index file wins.
 */
import fs from "node:fs";
import path from "node:path";
import * as esbuild from "esbuild";
import { HearthError } from "../../shared/errors.js";
import { buildRouteTable, FUNCTION_FILE, routesForFile, type RouteConfig } from "./route-config.js";

/** Files of the folder that may hold handlers, relative with `/` separators, in walk order. */
export function functionFiles(functionsDir: string): string[] {
  const files: string[] = [];
  const queue = [""];
  while (queue.length > 0) {
    const relativeDir = queue.shift()!;
    const entries = fs.readdirSync(path.join(functionsDir, relativeDir), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const relative = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) queue.push(relative);
      else if (entry.isFile() && FUNCTION_FILE.test(entry.name)) files.push(relative);
    }
  }
  return files;
}

/** The export names of each file, read without bundling. */
async function exportsOf(functionsDir: string, files: string[]): Promise<Map<string, string[]>> {
  const exports = new Map<string, string[]>();
  if (files.length === 0) return exports;
  let result: esbuild.BuildResult;
  try {
    result = await esbuild.build({
      entryPoints: files.map((f) => path.join(functionsDir, f)),
      bundle: false,
      write: false,
      metafile: true,
      format: "esm",
      outdir: path.join(functionsDir, "__hearth_scan__"),
      outbase: functionsDir,
      loader: { ".js": "jsx", ".mjs": "jsx" },
      logLevel: "silent",
    });
  } catch (error) {
    const errors = (error as { errors?: esbuild.Message[] }).errors ?? [];
    const text = esbuild.formatMessagesSync(errors, { kind: "error", color: false }).join("\n");
    throw new HearthError("ERR_BUILD", `Could not read the Functions in ${functionsDir}:\n${text || (error as Error).message}`, { file: functionsDir }, { cause: error });
  }
  for (const output of Object.values(result.metafile!.outputs)) {
    if (!output.entryPoint) continue;
    const relative = path.relative(functionsDir, path.resolve(output.entryPoint)).split(path.sep).join("/");
    exports.set(relative, output.exports);
  }
  return exports;
}

/** The sorted route table of the folder; [] when it has no handler exports. */
export async function scanFunctions(functionsDir: string): Promise<RouteConfig[]> {
  const files = functionFiles(functionsDir);
  const exports = await exportsOf(functionsDir, files);
  const entries: RouteConfig[] = [];
  for (const file of files) {
    const routes = routesForFile(file, exports.get(file) ?? []);
    if ("error" in routes) throw new HearthError("ERR_BUILD", `${path.join(functionsDir, file)}: ${routes.error}`, { file: path.join(functionsDir, file) });
    entries.push(...routes);
  }
  return buildRouteTable(entries);
}
