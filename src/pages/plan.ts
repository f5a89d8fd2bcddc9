/**
 * The resolved model of a Pages project for `hearth pages dev`: the asset folder, what runs code
 * (`_worker.js`, else `./functions`, else nothing) and the Worker plan of that code, with the
 * Pages rules for the config file (top level only, ignored unless it has
 * `pages_build_output_dir`), the `CF_PAGES*` defaults and `env.ASSETS`.
 */
import fs from "node:fs";
import path from "node:path";
import { aiDescriptor } from "../bindings/ai/index.js";
import { assetsDescriptor } from "../bindings/assets/index.js";
import { kvDescriptors } from "../bindings/kv/index.js";
import { d1FlagDescriptor } from "../bindings/d1/index.js";
import { r2BucketDescriptor } from "../bindings/r2/index.js";
import { serviceDescriptors } from "../bindings/service/index.js";
import { durableObjectDescriptors } from "../bindings/durable-objects/index.js";
import { planFromConfig, readConfig, type LoadedConfig, type PlanNote, type WorkerPlan } from "../config/index.js";
import { HearthError } from "../shared/errors.js";
import { resolveStateRoot } from "../shared/paths.js";
import { parseBindingFlags, type BindingFlags } from "./binding-flags.js";
import { functionsImportsPlugin } from "./functions/imports-plugin.js";
import { pagesDefaultVars } from "./git-info.js";

/** Name of the module file a Functions build starts from, inside the runner's work folder. */
export const FUNCTIONS_ENTRY_FILE = "functions-entry.mjs";

export interface PagesFlags extends BindingFlags {
  cwd: string;
  /** Positional `[directory]`: the static asset folder. */
  directory?: string;
  /** `-c` values when there are several (one alone is rejected by the CLI, as wrangler does). */
  configPaths?: string[];
  compatibilityDate?: string;
  compatibilityFlags?: string[];
  /** `-b KEY=VALUE` pairs, already split. */
  vars?: Record<string, string>;
  envFiles?: string[];
  persistTo?: string;
  /** Folder the runner owns for generated files (the Functions entry module). */
  workDir: string;
}

export type PagesMode =
  | { kind: "advanced"; entry: string }
  | { kind: "functions"; functionsDir: string; entry: string }
  | { kind: "assets" };

export interface PagesPlan {
  /** Absolute path of the static asset folder. */
  directory: string;
  mode: PagesMode;
  /** The Worker that runs the project's code (its entry depends on `mode`). */
  worker: WorkerPlan;
  configPath?: string;
  /** Files whose change should re-plan (the config, .dev.vars / .env). */
  watchFiles: string[];
}

export function planPages(flags: PagesFlags): PagesPlan {
  const notes: PlanNote[] = [];
  const loaded = pagesConfig(flags, notes);
  const directory = assetDirectory(flags, loaded);
  const mode = pagesMode(directory, flags);
  const name = projectName(loaded, flags.cwd);
  const stateRoot = resolveStateRoot(loaded.dir, flags.persistTo, flags.cwd);
  const bindingFlags = parseBindingFlags(flags);
  notes.push(...bindingFlags.notes);
  const worker = planFromConfig(
    loaded,
    {
      cwd: flags.cwd,
      compatibilityDate: flags.compatibilityDate,
      compatibilityFlags: flags.compatibilityFlags,
      vars: flags.vars,
      envFiles: flags.envFiles,
      persistTo: flags.persistTo,
    },
    {
      entry: mode.kind === "assets" ? path.join(flags.workDir, FUNCTIONS_ENTRY_FILE) : mode.entry,
      name,
      defaults: pagesDefaultVars(flags.cwd, name),
      cliBindings: [
        ...kvDescriptors(bindingFlags.kv, stateRoot),
        ...bindingFlags.r2.map(({ binding, bucket }) => r2BucketDescriptor(binding, bucket, stateRoot)),
        ...bindingFlags.d1.map(({ binding, id }) => d1FlagDescriptor(binding, id, stateRoot)),
        ...serviceDescriptors(bindingFlags.services),
        ...durableObjectDescriptors(bindingFlags.durableObjects, name),
        // --ai NAME keeps the config's Hearth settings (base_url, models) when it has an [ai] table.
        ...bindingFlags.ai.map((binding) => aiDescriptor({ ...loaded.config.ai, binding }, { configPath: loaded.path })),
        assetsDescriptor("ASSETS", directory),
      ],
      notes,
    },
  );
  if (mode.kind === "functions") worker.bundle.plugins = [functionsImportsPlugin()];
  return { directory, mode, worker, configPath: loaded.path, watchFiles: [...(loaded.path ? [loaded.path] : []), ...worker.watchFiles] };
}

/** The top level of the Pages config, or an empty config (with a note) when the file is not one. */
function pagesConfig(flags: PagesFlags, notes: PlanNote[]): LoadedConfig {
  const loaded = readConfig({ cwd: flags.cwd, configPath: flags.configPaths?.[0] });
  if (loaded.path === undefined || loaded.isPages) {
    for (const extra of flags.configPaths?.slice(1) ?? []) {
      notes.push({ level: "warn", message: `Hearth does not run other Workers next to a Pages project yet: --config ${extra} is ignored.` });
    }
    return loaded;
  }
  if (flags.configPaths?.length) {
    throw new HearthError("ERR_CONFIG_INVALID", `${loaded.path}: the first --config file must be the Pages project's configuration, with "pages_build_output_dir".`, {
      file: loaded.path,
      key: "pages_build_output_dir",
      flag: "--config",
    });
  }
  notes.push({
    level: "warn",
    message:
      `Pages now has wrangler.toml support.\nWe detected a configuration file at ${loaded.path} but it is missing the "pages_build_output_dir" field, required by Pages.\n` +
      `If you would like to use this configuration file for your project, please use "pages_build_output_dir" to specify the directory of static files to upload.\n` +
      "Ignoring configuration file for now.",
  });
  return { dir: path.resolve(flags.cwd), config: {}, isPages: false, warnings: [] };
}

function assetDirectory(flags: PagesFlags, loaded: LoadedConfig): string {
  const configured = loaded.config.pages_build_output_dir;
  const directory = flags.directory !== undefined ? path.resolve(flags.cwd, flags.directory) : configured !== undefined ? path.resolve(loaded.dir, configured) : undefined;
  if (directory === undefined) {
    throw new HearthError(
      "ERR_CONFIG_MISSING",
      "Must specify a directory of static files to serve (hearth pages dev <directory>), or configure `pages_build_output_dir` in the Wrangler configuration file.",
      { flag: "[directory]" },
    );
  }
  let isDirectory = false;
  try {
    isDirectory = fs.statSync(directory).isDirectory();
  } catch {
    // Reported below.
  }
  if (!isDirectory) {
    const from = flags.directory !== undefined ? { flag: "[directory]" } : { file: loaded.path, key: "pages_build_output_dir" };
    throw new HearthError("ERR_CONFIG_MISSING", `The directory of static files "${directory}" does not exist or is not a folder.`, from);
  }
  return directory;
}

/** `<dir>/_worker.js/` (entry index.js) > `<dir>/_worker.js` > `./functions` > assets only. */
function pagesMode(directory: string, flags: PagesFlags): PagesMode {
  const worker = path.join(directory, "_worker.js");
  const stat = fs.statSync(worker, { throwIfNoEntry: false });
  if (stat?.isDirectory()) {
    const entry = path.join(worker, "index.js");
    if (!fs.existsSync(entry)) {
      throw new HearthError("ERR_CONFIG_MISSING", `${worker} is a folder, so its entry ${entry} must exist.`, { file: entry });
    }
    return { kind: "advanced", entry };
  }
  if (stat?.isFile()) return { kind: "advanced", entry: worker };
  const functionsDir = path.join(path.resolve(flags.cwd), "functions");
  if (fs.statSync(functionsDir, { throwIfNoEntry: false })?.isDirectory()) {
    return { kind: "functions", functionsDir, entry: path.join(flags.workDir, FUNCTIONS_ENTRY_FILE) };
  }
  return { kind: "assets" };
}

/** The project's name: `name` from the config, else the cwd's folder name made URL-safe. */
function projectName(loaded: LoadedConfig, cwd: string): string {
  if (loaded.config.name) return loaded.config.name;
  const base = path.basename(path.resolve(cwd)).toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "");
  return base || "pages";
}
