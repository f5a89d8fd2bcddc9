/**
 * Bundles a Worker with esbuild the way wrangler does: one ES module, TypeScript and JSX,
 * module rules for text / data / wasm, `cloudflare:workers` provided by Hearth, `node:*` only with
 * `nodejs_compat`, and a linked source map so stack traces name the user's files.
 */
import { builtinModules } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as esbuild from "esbuild";
import { HearthError } from "../shared/errors.js";
import { CLOUDFLARE_WORKERS_MODULE_SOURCE } from "./cloudflare-workers.js";
import { CLOUDFLARE_SOCKETS_MODULE_SOURCE } from "./sockets/module.js";
import { compileModuleRules, type ModuleRule } from "./module-rules.js";

export interface BundleOptions {
  /** Absolute path of the entry module. */
  entry: string;
  /** Folder builds are written to; each build gets its own subfolder. */
  outDir: string;
  nodejsCompat: boolean;
  define?: Record<string, string>;
  alias?: Record<string, string>;
  jsxFactory?: string;
  jsxFragment?: string;
  tsconfig?: string;
  minify?: boolean;
  keepNames?: boolean;
  rules?: ModuleRule[];
  /** esbuild plugins that run before Hearth's own (Pages resolves its generated Functions entry with one). */
  plugins?: esbuild.Plugin[];
}

export interface Bundle {
  /** file:// URL of the bundled module, for `import()`. */
  entryUrl: string;
  format: "modules" | "service-worker";
  /** The user's source files in this build: what a watcher should watch. */
  inputs: string[];
}

const HIDE_NODE_SHIM = fileURLToPath(new URL("./shims/hide-node.js", import.meta.url));
const NODE_BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith("_")));
const OUTPUT_NAME = "worker.mjs";

function esbuildOptions(options: BundleOptions): esbuild.BuildOptions {
  return {
    entryPoints: [options.entry],
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["browser", "module", "main"],
    outfile: path.join(options.outDir, "build", OUTPUT_NAME),
    write: false,
    metafile: true,
    sourcemap: "linked",
    logLevel: "silent",
    loader: { ".js": "jsx", ".mjs": "jsx", ".cjs": "jsx" },
    define: { "process.env.NODE_ENV": JSON.stringify(process.env.NODE_ENV ?? "development"), ...options.define },
    alias: options.alias,
    jsxFactory: options.jsxFactory,
    jsxFragment: options.jsxFragment,
    tsconfig: options.tsconfig,
    minify: options.minify,
    keepNames: options.keepNames,
    inject: options.nodejsCompat ? [] : [HIDE_NODE_SHIM],
    plugins: [...(options.plugins ?? []), workersModulesPlugin(options)],
  };
}

/** The `cloudflare:*` modules Hearth provides, as the source of the virtual module each import becomes. */
const VIRTUAL_MODULES: Record<string, string> = {
  "cloudflare:workers": CLOUDFLARE_WORKERS_MODULE_SOURCE,
  "cloudflare:sockets": CLOUDFLARE_SOCKETS_MODULE_SOURCE,
};

/** Resolves what a Worker can import beyond plain JavaScript files. */
function workersModulesPlugin(options: BundleOptions): esbuild.Plugin {
  const rules = compileModuleRules(options.rules);
  return {
    name: "hearth-workers-modules",
    setup(build) {
      build.onResolve({ filter: /^cloudflare:/ }, (args) =>
        VIRTUAL_MODULES[args.path] !== undefined
          ? { path: args.path, namespace: "hearth-virtual" }
          : { errors: [{ text: `Hearth does not provide the "${args.path}" module yet.` }] },
      );
      build.onLoad({ filter: /.*/, namespace: "hearth-virtual" }, (args) => ({ contents: VIRTUAL_MODULES[args.path], loader: "js" }));

      build.onResolve({ filter: /^[a-z_:/]+$/ }, (args) => {
        const bare = args.path.startsWith("node:") ? args.path.slice(5) : args.path;
        if (!args.path.startsWith("node:") && !NODE_BUILTINS.has(bare)) return undefined;
        if (options.nodejsCompat) return { path: args.path.startsWith("node:") ? args.path : `node:${bare}`, external: true };
        if (!args.path.startsWith("node:")) return undefined;
        return {
          errors: [
            {
              text: `Could not resolve "${args.path}"`,
              notes: [
                {
                  text: `The package "${args.path}" wasn't found on the file system but is built into node.\nAdd "nodejs_compat" to the compatibility_flags in your Wrangler configuration file to use Node.js built-in modules.`,
                },
              ],
            },
          ],
        };
      });

      build.onResolve({ filter: /\?hearth-binary$/ }, (args) => ({ path: args.path.slice(0, -"?hearth-binary".length), namespace: "hearth-binary" }));
      build.onLoad({ filter: /.*/, namespace: "hearth-binary" }, (args) => ({ contents: fs.readFileSync(args.path), loader: "binary" }));

      if (rules.length === 0) return;
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.namespace !== "file" || args.kind === "entry-point") return undefined;
        const specifier = args.path.replace(/\?module$/, "");
        const rule = rules.find((r) => r.test(args.path) || r.test(specifier));
        if (!rule) return undefined;
        return { path: path.resolve(args.resolveDir, specifier), namespace: "hearth-rule", pluginData: rule.type };
      });
      build.onLoad({ filter: /.*/, namespace: "hearth-rule" }, (args) => {
        const bytes = JSON.stringify(`${args.path}?hearth-binary`);
        switch (args.pluginData as "Text" | "Data" | "CompiledWasm") {
          case "Text":
            return { contents: fs.readFileSync(args.path, "utf8"), loader: "text", watchFiles: [args.path] };
          case "Data":
            return {
              contents: `import b from ${bytes}; export default b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);`,
              loader: "js",
              watchFiles: [args.path],
            };
          case "CompiledWasm":
            return { contents: `import b from ${bytes}; export default new WebAssembly.Module(b);`, loader: "js", watchFiles: [args.path] };
        }
      });
    },
  };
}

let buildCounter = 0;

/** Writes one build's output to its own folder, so a running isolate's files are never overwritten. */
function writeBuild(options: BundleOptions, result: esbuild.BuildResult): Bundle {
  const dir = path.join(options.outDir, `build-${++buildCounter}`);
  fs.mkdirSync(dir, { recursive: true });
  let entryPath = "";
  for (const file of result.outputFiles ?? []) {
    const target = path.join(dir, path.basename(file.path));
    fs.writeFileSync(target, file.contents);
    if (target.endsWith(OUTPUT_NAME)) entryPath = target;
  }
  const output = Object.values(result.metafile!.outputs).find((o) => o.entryPoint !== undefined);
  const inputs = Object.keys(result.metafile!.inputs)
    .filter((p) => !p.includes(":") || path.isAbsolute(p))
    .map((p) => path.resolve(p))
    .filter((p) => p !== HIDE_NODE_SHIM);
  return {
    entryUrl: pathToFileURL(entryPath).href,
    format: output && output.exports.length > 0 ? "modules" : "service-worker",
    inputs,
  };
}

function buildError(entry: string, errors: esbuild.Message[]): HearthError {
  const text = esbuild.formatMessagesSync(errors, { kind: "error", color: false }).join("\n");
  return new HearthError("ERR_BUILD", `Build failed for ${entry}:\n${text}`, { file: entry });
}

export async function bundleWorker(options: BundleOptions): Promise<Bundle> {
  try {
    return writeBuild(options, await esbuild.build(esbuildOptions(options)));
  } catch (error) {
    const errors = (error as { errors?: esbuild.Message[] }).errors;
    if (errors) throw buildError(options.entry, errors);
    throw error;
  }
}

export interface WatchHandle {
  /** The first build; rejects with its error if it failed. */
  initial: Bundle;
  dispose(): Promise<void>;
}

/**
 * Builds now, and again whenever an input changes. Resolves with the first build; `onRebuild`
 * gets each later successful bundle, or the error of a failed build (the caller keeps serving
 * the last good one).
 */
export async function watchWorker(options: BundleOptions, onRebuild: (result: Bundle | HearthError) => void): Promise<WatchHandle> {
  const base = esbuildOptions(options);
  let settleFirst: ((result: Bundle | HearthError) => void) | undefined;
  const first = new Promise<Bundle | HearthError>((resolve) => (settleFirst = resolve));
  const reporter: esbuild.Plugin = {
    name: "hearth-watch-reporter",
    setup(build) {
      build.onEnd((result) => {
        const outcome = result.errors.length > 0 ? buildError(options.entry, result.errors) : writeBuild(options, result);
        if (settleFirst) {
          settleFirst(outcome);
          settleFirst = undefined;
        } else onRebuild(outcome);
      });
    },
  };
  const context = await esbuild.context({ ...base, plugins: [...(base.plugins ?? []), reporter] });
  await context.watch();
  const initial = await first;
  if (initial instanceof HearthError) {
    await context.dispose();
    throw initial;
  }
  return { initial, dispose: () => context.dispose() };
}
