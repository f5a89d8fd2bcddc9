/**
 * The resolved model of one Worker: config file, `[env.NAME]`, `.dev.vars`/`.env` and CLI flags
 * folded into what the bundler and the runtime need. CLI flags win over the file.
 */
import path from "node:path";
import fs from "node:fs";
import type { BindingDescriptor } from "../bindings/descriptor.js";
import { kvDescriptors } from "../bindings/kv/index.js";
import type { BundleOptions } from "../runtime/bundle.js";
import { isNodejsCompat } from "../runtime/compat.js";
import { resolveLimits, type IsolateLimits } from "../runtime/limits.js";
import { HearthError } from "../shared/errors.js";
import { resolveStateRoot } from "../shared/paths.js";
import { loadDevVars } from "./dev-vars.js";
import { readConfig, type LoadedConfig } from "./read-config.js";
import type { WranglerConfig } from "./schema.js";

/** What the user asked for on the command line (or through the library API). */
export interface WorkerFlags {
  cwd: string;
  configPath?: string;
  env?: string;
  /** Positional script: the entry module instead of `main`. */
  script?: string;
  name?: string;
  compatibilityDate?: string;
  /** Replaces `compatibility_flags` from the file when given. */
  compatibilityFlags?: string[];
  /** `--var KEY:VALUE` pairs, already split. */
  vars?: Record<string, string>;
  define?: Record<string, string>;
  envFiles?: string[];
  persistTo?: string;
  minify?: boolean;
  /** Memory limit override for the isolate (Hearth-specific; Cloudflare's is 128 MB). */
  memoryMb?: number;
}

export interface WorkerPlan {
  name: string;
  /** Folder of the config file, or the cwd. */
  rootDir: string;
  configPath?: string;
  /** Extra files whose change should reload the Worker (.dev.vars, .env ...). */
  watchFiles: string[];
  entry: string;
  compatibilityDate: string;
  compatibilityFlags: string[];
  /** Bundler options; the build folder is chosen by whoever runs the plan. */
  bundle: Omit<BundleOptions, "outDir">;
  bindings: BindingDescriptor[];
  limits: IsolateLimits;
  stateRoot: string;
  dev: { ip?: string; port?: number; localProtocol?: "http" | "https" };
  triggers: string[];
  /** Lines to show the user once (config warnings, unsupported bindings, dev-vars source). */
  notes: { level: "info" | "warn"; message: string }[];
}

/** Binding keys of the config that later work implements; until then they are reported, not faked. */
const NOT_YET_SUPPORTED: [keyof WranglerConfig, string][] = [
  ["d1_databases", "D1 databases"],
  ["r2_buckets", "R2 buckets"],
  ["durable_objects", "Durable Objects"],
  ["services", "service bindings"],
  ["queues", "Queues"],
  ["analytics_engine_datasets", "Analytics Engine datasets"],
  ["ai", "Workers AI"],
];

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function planWorker(flags: WorkerFlags, loaded: LoadedConfig = readConfig({ cwd: flags.cwd, configPath: flags.configPath, env: flags.env })): WorkerPlan {
  const { config, dir } = loaded;
  const notes: WorkerPlan["notes"] = loaded.warnings.map((message) => ({ level: "warn" as const, message }));

  const entryInput = flags.script ? path.resolve(flags.cwd, flags.script) : config.main ? path.resolve(dir, config.main) : undefined;
  if (!entryInput) {
    throw new HearthError(
      "ERR_CONFIG_MISSING",
      loaded.path
        ? `${loaded.path}: no "main" entry point. Set main = "src/index.ts" in the config, or pass the script: hearth dev path/to/script.js`
        : "Missing entry-point to Worker script: pass one (hearth dev src/index.ts) or run in a folder with a wrangler.toml / wrangler.json(c) that sets main.",
      { file: loaded.path, key: "main" },
    );
  }
  if (!fs.existsSync(entryInput)) {
    throw new HearthError("ERR_CONFIG_MISSING", `The entry-point file at "${entryInput}" was not found.`, { file: loaded.path, key: "main" });
  }

  let compatibilityDate = flags.compatibilityDate ?? config.compatibility_date;
  if (!compatibilityDate) {
    compatibilityDate = today();
    notes.push({ level: "warn", message: `No compatibility_date was specified. Using today's date: ${compatibilityDate}.` });
  }
  const compatibilityFlags = flags.compatibilityFlags ?? config.compatibility_flags ?? [];
  const stateRoot = resolveStateRoot(dir, flags.persistTo, flags.cwd);
  const name = flags.name ?? config.name ?? path.basename(entryInput).replace(/\.[^.]+$/, "");

  const devVars = loadDevVars({ dir, env: loaded.envName, envFiles: flags.envFiles, required: config.secrets?.required });
  for (const file of devVars.files) notes.push({ level: "info", message: `Using secrets defined in ${path.relative(flags.cwd, file) || file}` });
  if (devVars.usedProcessEnv) notes.push({ level: "info", message: "Using secrets defined in process.env" });
  if (devVars.missingRequired.length > 0) {
    notes.push({ level: "warn", message: `Missing required secrets: ${devVars.missingRequired.join(", ")}. Add them to .dev.vars, .env, or set as environment variables.` });
  }

  for (const [key, label] of NOT_YET_SUPPORTED) {
    if (config[key] !== undefined) notes.push({ level: "warn", message: `Hearth does not support ${label} yet: the "${String(key)}" bindings are not available to the Worker.` });
  }

  return {
    name,
    rootDir: dir,
    configPath: loaded.path,
    watchFiles: devVars.files,
    entry: entryInput,
    compatibilityDate,
    compatibilityFlags,
    bundle: {
      entry: entryInput,
      nodejsCompat: isNodejsCompat(compatibilityFlags),
      define: { ...config.define, ...flags.define },
      alias: config.alias,
      jsxFactory: config.jsx_factory,
      jsxFragment: config.jsx_fragment,
      tsconfig: config.tsconfig ? path.resolve(dir, config.tsconfig) : undefined,
      minify: flags.minify ?? config.minify,
      keepNames: config.keep_names,
      rules: config.rules,
    },
    bindings: bindingsFor(config, devVars.vars, flags.vars ?? {}, stateRoot),
    limits: resolveLimits({ cpuMs: config.limits?.cpu_ms, memoryMb: flags.memoryMb }),
    stateRoot,
    dev: { ip: config.dev?.ip, port: config.dev?.port, localProtocol: config.dev?.local_protocol },
    triggers: config.triggers?.crons ?? [],
    notes,
  };
}

/**
 * Lowest to highest precedence: config bindings and `[vars]`, then `.dev.vars`/`.env` values
 * (which replace only vars and secrets, never a binding of another kind), then `--var`.
 */
function bindingsFor(config: WranglerConfig, secrets: Record<string, string>, cliVars: Record<string, string>, stateRoot: string): BindingDescriptor[] {
  const byName = new Map<string, BindingDescriptor>();
  for (const [name, value] of Object.entries(config.vars ?? {})) {
    byName.set(name, typeof value === "string" ? { kind: "text", name, value, secret: false } : { kind: "json", name, value });
  }
  for (const descriptor of kvDescriptors(config.kv_namespaces ?? [], stateRoot)) byName.set(descriptor.name, descriptor);
  const replaceable = (name: string) => {
    const existing = byName.get(name);
    return existing === undefined || existing.kind === "text" || existing.kind === "json";
  };
  for (const [name, value] of Object.entries(secrets)) if (replaceable(name)) byName.set(name, { kind: "text", name, value, secret: true });
  for (const [name, value] of Object.entries(cliVars)) if (replaceable(name)) byName.set(name, { kind: "text", name, value, secret: false });
  return [...byName.values()];
}
