/**
 * Where a Worker's (or a Pages project's) bindings come from, and which source wins
 * (api-surface.md 0.4), shared by `hearth dev` and `hearth pages dev`.
 */
import path from "node:path";
import type { BindingDescriptor } from "../bindings/descriptor.js";
import { aiDescriptor } from "../bindings/ai/index.js";
import { analyticsEngineDescriptors } from "../bindings/analytics-engine/index.js";
import { d1Descriptors } from "../bindings/d1/index.js";
import { durableObjectDescriptors } from "../bindings/durable-objects/index.js";
import { kvDescriptors } from "../bindings/kv/index.js";
import { r2Descriptors } from "../bindings/r2/index.js";
import { defaultQueueContentType, queueProducerDescriptors } from "../bindings/queues/index.js";
import { serviceDescriptors } from "../bindings/service/index.js";
import { loadDevVars } from "./dev-vars.js";
import type { WranglerConfig } from "./schema.js";

/** A line to show the user once. */
export interface PlanNote {
  level: "info" | "warn";
  message: string;
}

export interface BindingSources {
  /** Lowest precedence: defaults the platform sets (Pages' `CF_PAGES*`). */
  defaults?: Record<string, string>;
  /** `[vars]` and the binding keys of the effective config. */
  config: WranglerConfig;
  /** `.dev.vars` / `.env` values: secrets. */
  secrets: Record<string, string>;
  /** `--var KEY:VALUE` / `-b KEY=VALUE`: plain-text vars. */
  cliVars: Record<string, string>;
  /** Bindings given as flags (`--kv` …): they replace any config binding of the same name. */
  cliBindings?: BindingDescriptor[];
  stateRoot: string;
  /** The Worker's name: Durable Object classes without `script_name` belong to it. */
  workerName: string;
  /** Decide defaults that depend on them (the content type of queue messages); absent = today's defaults. */
  compatibilityDate?: string;
  compatibilityFlags?: readonly string[];
  /** The config file, named in errors about its entries. */
  configPath?: string;
  /** Where Hearth's own settings (`HEARTH_AI_BASE_URL` …) are read from. Default: `process.env`. */
  processEnv?: Readonly<Record<string, string | undefined>>;
}

/**
 * Lowest to highest precedence: defaults, config bindings and `[vars]`, `.dev.vars`/`.env`
 * values, CLI vars, CLI bindings. Secrets and CLI vars replace only vars (text or JSON), never a
 * binding of another kind of the same name.
 */
export function resolveBindings(sources: BindingSources): BindingDescriptor[] {
  const byName = new Map<string, BindingDescriptor>();
  for (const [name, value] of Object.entries(sources.defaults ?? {})) byName.set(name, { kind: "text", name, value, secret: false });
  for (const [name, value] of Object.entries(sources.config.vars ?? {})) {
    byName.set(name, typeof value === "string" ? { kind: "text", name, value, secret: false } : { kind: "json", name, value });
  }
  for (const descriptor of kvDescriptors(sources.config.kv_namespaces ?? [], sources.stateRoot)) byName.set(descriptor.name, descriptor);
  for (const descriptor of r2Descriptors(sources.config.r2_buckets ?? [], sources.stateRoot)) byName.set(descriptor.name, descriptor);
  for (const descriptor of d1Descriptors(sources.config.d1_databases ?? [], sources.stateRoot)) byName.set(descriptor.name, descriptor);
  for (const descriptor of serviceDescriptors(sources.config.services ?? [])) byName.set(descriptor.name, descriptor);
  for (const descriptor of analyticsEngineDescriptors(sources.config.analytics_engine_datasets ?? [], sources.stateRoot)) byName.set(descriptor.name, descriptor);
  const defaultContentType =
    sources.compatibilityDate === undefined ? "json" : defaultQueueContentType(sources.compatibilityDate, sources.compatibilityFlags ?? []);
  const producers = queueProducerDescriptors(sources.config.queues?.producers ?? [], sources.stateRoot, { defaultContentType, source: { file: sources.configPath } });
  for (const descriptor of producers) byName.set(descriptor.name, descriptor);
  for (const descriptor of durableObjectDescriptors(sources.config.durable_objects?.bindings ?? [], sources.workerName)) byName.set(descriptor.name, descriptor);
  if (sources.config.ai) {
    const descriptor = aiDescriptor(sources.config.ai, { env: sources.processEnv, configPath: sources.configPath });
    byName.set(descriptor.name, descriptor);
  }
  const replaceable = (name: string) => {
    const existing = byName.get(name);
    return existing === undefined || existing.kind === "text" || existing.kind === "json";
  };
  for (const [name, value] of Object.entries(sources.secrets)) if (replaceable(name)) byName.set(name, { kind: "text", name, value, secret: true });
  for (const [name, value] of Object.entries(sources.cliVars)) if (replaceable(name)) byName.set(name, { kind: "text", name, value, secret: false });
  for (const descriptor of sources.cliBindings ?? []) byName.set(descriptor.name, descriptor);
  return [...byName.values()];
}

/** `.dev.vars` / `.env` values with the lines wrangler prints about them. */
export function secretsFor(options: { dir: string; env?: string; envFiles?: string[]; required?: string[]; cwd: string }): {
  vars: Record<string, string>;
  files: string[];
  notes: PlanNote[];
} {
  const devVars = loadDevVars({ dir: options.dir, env: options.env, envFiles: options.envFiles, required: options.required });
  const notes: PlanNote[] = devVars.files.map((file) => ({ level: "info", message: `Using secrets defined in ${path.relative(options.cwd, file) || file}` }));
  if (devVars.usedProcessEnv) notes.push({ level: "info", message: "Using secrets defined in process.env" });
  if (devVars.missingRequired.length > 0) {
    notes.push({ level: "warn", message: `Missing required secrets: ${devVars.missingRequired.join(", ")}. Add them to .dev.vars, .env, or set as environment variables.` });
  }
  return { vars: devVars.vars, files: devVars.files, notes };
}

/** Binding keys of the config that later work implements; until then they are reported, not faked. */
const NOT_YET_SUPPORTED: [keyof WranglerConfig, string][] = [
];

/** One warning per binding key of the config that Hearth cannot provide yet. */
export function unsupportedBindingNotes(config: WranglerConfig): PlanNote[] {
  return NOT_YET_SUPPORTED.filter(([key]) => config[key] !== undefined).map(([key, label]) => ({
    level: "warn" as const,
    message: `Hearth does not support ${label} yet: the "${String(key)}" bindings are not available to the Worker.`,
  }));
}
