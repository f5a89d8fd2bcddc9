#!/usr/bin/env node
// Build step after `tsc`: bundles the two entry points that start a process or an isolate —
// dist/src/cli/main.js (the `hearth` command) and dist/src/runtime/isolate.worker.js (each Worker's
// thread) — each into one file, written over the entry tsc emitted. Loading ~300 small ES modules
// dominated Hearth's cold start; one file each starts about 30% faster (bench/RESULTS.md).
//
// Every other file of dist/ stays as tsc wrote it: the library entry (dist/src/index.js), the
// tests, and the files Hearth reads by path (shims, the Pages router, package.json). Each module's
// `import.meta.url` is rewritten to the URL its own file has in dist/, so paths it resolves against
// it mean what they meant before bundling. Packages with native or WebAssembly parts, or that load
// files relative to themselves, stay external and load from node_modules.
import * as esbuild from "esbuild";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const ENTRIES = ["dist/src/cli/main.js", "dist/src/runtime/isolate.worker.js"];
const EXTERNAL = ["better-sqlite3", "esbuild", "html-rewriter-wasm", "ws", "bufferutil", "utf-8-validate", "jsonc-parser"];
/** First line of a bundle, so running this script twice does not bundle a bundle. */
const MARK = "// hearth: bundled by scripts/bundle.mjs";

/** Replaces `import.meta.url` in Hearth's own modules with the URL of the module's file in dist/. */
function keepModuleUrls(bundleDir) {
  return {
    name: "keep-module-urls",
    setup(build) {
      build.onLoad({ filter: /\.js$/ }, async (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const text = await fs.promises.readFile(args.path, "utf8");
        const relative = path.relative(bundleDir, args.path).split(path.sep).join("/");
        return { contents: text.replaceAll("import.meta.url", `new URL(${JSON.stringify(relative)}, import.meta.url).href`), loader: "js" };
      });
    },
  };
}

for (const entry of ENTRIES) {
  const file = path.join(root, entry);
  if (fs.readFileSync(file, "utf8").startsWith(MARK)) continue;
  const temp = `${file}.bundle-${process.pid}`;
  await esbuild.build({
    entryPoints: [file],
    outfile: temp,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external: EXTERNAL,
    logLevel: "warning",
    plugins: [keepModuleUrls(path.dirname(file))],
    // CommonJS dependencies inside the bundle call require().
    banner: { js: `${MARK}\nimport { createRequire as __hearthCreateRequire } from "node:module";\nconst require = __hearthCreateRequire(import.meta.url);` },
  });
  fs.renameSync(temp, file);
  // tsc's source map describes the file that was replaced; a stale one would send stack traces to wrong lines.
  fs.rmSync(`${file}.map`, { force: true });
}
