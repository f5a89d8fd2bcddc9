/**
 * Local secrets from `.dev.vars` / `.env` files, exactly as wrangler 4.86 loads them
 * (api-surface.md 0.5; wrangler `getVarsForDev`, `loadDotDevDotVars`, `loadDotEnv`):
 *
 * 1. Without `envFiles` (`--env-file`): `.dev.vars.<env>` when an env is selected and that file
 *    exists, else `.dev.vars`. The env file REPLACES the base one (no merge). No expansion.
 * 2. If no `.dev.vars*` file was read, and unless CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV=false:
 *    `.env`, `.env.local`, `.env.<env>`, `.env.<env>.local` — or exactly `envFiles` — later files
 *    overriding earlier ones, then `${VAR}` expansion (dotenv-expand). When
 *    CLOUDFLARE_INCLUDE_PROCESS_ENV=true, or when config `secrets` is declared (`required` given),
 *    the process environment is included too and wins over file values (as dotenv-expand does).
 * 3. With `required` (config `secrets.required`): only those keys are kept; absent ones are listed.
 *
 * Values are always strings (bound as secrets, never JSON-parsed). Relative `envFiles` paths are
 * resolved against `dir`, the config file's folder, as wrangler does.
 */
import fs from "node:fs";
import path from "node:path";
import dotenv from "dotenv";
import { expand } from "dotenv-expand";
import { HearthError } from "../shared/errors.js";

export interface LoadDevVarsOptions {
  /** Folder of the config file, else the cwd. */
  dir: string;
  /** Selected environment (`--env`). */
  env?: string;
  /** `--env-file` values; when given, `.dev.vars*` and the default `.env*` files are not read. */
  envFiles?: string[];
  /** Config `secrets.required`: keep only these keys and report the missing ones. */
  required?: string[];
  /** Defaults to `process.env`. Read for the CLOUDFLARE_* switches and, when enabled, merged in. */
  processEnv?: NodeJS.ProcessEnv;
}

export interface DevVars {
  vars: Record<string, string>;
  /** Absolute paths of the files actually read, in order (for "Using secrets defined in ..."). */
  files: string[];
  /** Keys of `required` that no source provided (for "Missing required secrets: ..."). */
  missingRequired: string[];
  /** true when the process environment was merged in ("Using secrets defined in process.env"). */
  usedProcessEnv: boolean;
}

/** wrangler's default `.env` list for an environment. */
export function defaultEnvFiles(env: string | undefined): string[] {
  return env === undefined ? [".env", ".env.local"] : [".env", ".env.local", `.env.${env}`, `.env.${env}.local`];
}

export function loadDevVars(options: LoadDevVarsOptions): DevVars {
  const processEnv = options.processEnv ?? process.env;
  const env = options.env === "" ? undefined : options.env;
  const files: string[] = [];
  let loaded: Record<string, string> | undefined;
  let usedProcessEnv = false;

  if (options.envFiles === undefined) {
    const base = path.resolve(options.dir, ".dev.vars");
    for (const candidate of env === undefined ? [base] : [`${base}.${env}`, base]) {
      const text = readIfExists(candidate, true);
      if (text !== undefined) {
        loaded = dotenv.parse(text);
        files.push(candidate);
        break;
      }
    }
  }

  if (loaded === undefined && !isFalse(processEnv["CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV"])) {
    const parsed: Record<string, string> = {};
    for (const name of options.envFiles ?? defaultEnvFiles(env)) {
      const file = path.resolve(options.dir, name);
      const text = readIfExists(file, false);
      if (text === undefined) continue;
      Object.assign(parsed, dotenv.parse(text));
      files.push(file);
    }
    const target: Record<string, string> = {};
    usedProcessEnv = isTrue(processEnv["CLOUDFLARE_INCLUDE_PROCESS_ENV"]) || options.required !== undefined;
    if (usedProcessEnv) {
      for (const [key, value] of Object.entries(processEnv)) if (value !== undefined) target[key] = value;
    }
    expand({ parsed, processEnv: target });
    loaded = target;
  }

  let vars = loaded ?? {};
  let missingRequired: string[] = [];
  if (options.required !== undefined) {
    const kept: Record<string, string> = {};
    for (const key of options.required) if (Object.hasOwn(vars, key)) kept[key] = vars[key]!;
    missingRequired = options.required.filter((key) => !Object.hasOwn(vars, key));
    vars = kept;
  }
  return { vars: { ...vars }, files, missingRequired, usedProcessEnv };
}

/**
 * The file's text, or undefined when it does not exist. An unreadable `.dev.vars` is an error
 * (wrangler: "Failed to load local dev variables file"); an unreadable `.env` is skipped.
 */
function readIfExists(file: string, strict: boolean): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR" || !strict) return undefined;
    throw new HearthError("ERR_CONFIG_PARSE", `Failed to load local dev variables file "${file}"`, { file }, { cause: error });
  }
}

function isTrue(value: string | undefined): boolean {
  return value?.toLowerCase() === "true";
}

function isFalse(value: string | undefined): boolean {
  return value?.toLowerCase() === "false";
}
