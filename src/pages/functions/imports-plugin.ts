/**
 * How the generated Functions entry imports the files of `functions/`: through the
 * `hearth-function:` prefix, which this esbuild plugin resolves to the file, or, when the file
 * was deleted since the last scan, to an empty module. So deleting a Function never fails the
 * build that esbuild's watcher starts at once; the rescan that follows drops the file's routes.
 */
import fs from "node:fs";
import type * as esbuild from "esbuild";

export const FUNCTION_IMPORT_PREFIX = "hearth-function:";
const MISSING = "hearth-missing-function";

export function functionsImportsPlugin(): esbuild.Plugin {
  return {
    name: "hearth-pages-functions",
    setup(build) {
      build.onResolve({ filter: /^hearth-function:/ }, (args) => {
        const file = args.path.slice(FUNCTION_IMPORT_PREFIX.length);
        return fs.existsSync(file) ? { path: file } : { path: file, namespace: MISSING };
      });
      build.onLoad({ filter: /.*/, namespace: MISSING }, () => ({ contents: "export {};", loader: "js" }));
    },
  };
}
