/**
 * The resolved model of one Worker: config file, `[env.NAME]`, `.dev.vars`/`.env` and CLI flags
 * folded into what the bundler and the runtime need. CLI flags win over the file.
 */
import path from "node:path";
import fs from "node:fs";
import type { BindingDescriptor, DurableObjectBinding } from "../bindings/descriptor.js";
import { hostedClasses, type HostedClass } from "../bindings/durable-objects/index.js";
import { queueConsumerPlans, type QueueConsumerPlan } from "../bindings/queues/index.js";
import type { BundleOptions } from "../runtime/bundle.js";
import { isNodejsCompat } from "../runtime/compat.js";
import { resolveLimits, type IsolateLimits } from "../runtime/limits.js";
import { HearthError } from "../shared/errors.js";
import { resolveStateRoot } from "../shared/paths.js";
import { resolveBindings, secretsFor, unsupportedBindingNotes, type PlanNote } from "./binding-sources.js";
import { readConfig, type LoadedConfig } from "./read-config.js";

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
  /** Durable Object classes this Worker defines (from its migrations). */
  durableObjectClasses: HostedClass[];
  limits: IsolateLimits;
  stateRoot: string;
  dev: { ip?: string; port?: number; localProtocol?: "http" | "https" };
  triggers: string[];
  /** The queues this Worker consumes (`queues.consumers`), with Cloudflare's defaults applied. */
  queueConsumers: QueueConsumerPlan[];
  /** Lines to show the user once (config warnings, unsupported bindings, dev-vars source). */
  notes: PlanNote[];
}

const isDurableObject = (binding: BindingDescriptor): binding is DurableObjectBinding => binding.kind === "durable-object";

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function planWorker(flags: WorkerFlags, loaded: LoadedConfig = readConfig({ cwd: flags.cwd, configPath: flags.configPath, env: flags.env })): WorkerPlan {
  const { config, dir } = loaded;
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

  const name = flags.name ?? config.name ?? path.basename(entryInput).replace(/\.[^.]+$/, "");
  return planFromConfig(loaded, flags, { entry: entryInput, name });
}

/** What a caller adds to the config and flags: the entry module, the name, platform bindings. */
export interface PlanExtras {
  /** Absolute path of the entry module (it may be generated later, before the build). */
  entry: string;
  name: string;
  /** Lowest-precedence vars (Pages' CF_PAGES*). */
  defaults?: Record<string, string>;
  /** Bindings from flags or the platform, which win over the config (`--kv`, Pages' ASSETS). */
  cliBindings?: BindingDescriptor[];
  /** Extra notes to show with the plan's own. */
  notes?: PlanNote[];
}

/** The plan of a Worker from a loaded config, the flags and the extras (shared by `dev` and `pages dev`). */
export function planFromConfig(loaded: LoadedConfig, flags: WorkerFlags, extras: PlanExtras): WorkerPlan {
  const { config, dir } = loaded;
  const notes: PlanNote[] = [...loaded.warnings.map((message) => ({ level: "warn" as const, message })), ...(extras.notes ?? [])];
  let compatibilityDate = flags.compatibilityDate ?? config.compatibility_date;
  if (!compatibilityDate) {
    compatibilityDate = today();
    notes.push({ level: "warn", message: `No compatibility_date was specified. Using today's date: ${compatibilityDate}.` });
  }
  const compatibilityFlags = flags.compatibilityFlags ?? config.compatibility_flags ?? [];
  const stateRoot = resolveStateRoot(dir, flags.persistTo, flags.cwd);
  const devVars = secretsFor({ dir, env: loaded.envName, envFiles: flags.envFiles, required: config.secrets?.required, cwd: flags.cwd });
  notes.push(...devVars.notes, ...unsupportedBindingNotes(config));
  const entryInput = extras.entry;
  const bindings = resolveBindings({
    defaults: extras.defaults,
    config,
    secrets: devVars.vars,
    cliVars: flags.vars ?? {},
    cliBindings: extras.cliBindings,
    stateRoot,
    workerName: extras.name,
    compatibilityDate,
    compatibilityFlags,
    configPath: loaded.path,
  });

  return {
    name: extras.name,
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
    bindings,
    durableObjectClasses: hostedClasses(config.migrations ?? [], bindings.filter(isDurableObject), extras.name, stateRoot),
    limits: resolveLimits({ cpuMs: config.limits?.cpu_ms, memoryMb: flags.memoryMb, subrequests: config.limits?.subrequests }),
    stateRoot,
    dev: { ip: config.dev?.ip, port: config.dev?.port, localProtocol: config.dev?.local_protocol },
    triggers: config.triggers?.crons ?? [],
    queueConsumers: queueConsumerPlans(config.queues?.consumers ?? [], stateRoot, { file: loaded.path }),
    notes,
  };
}
