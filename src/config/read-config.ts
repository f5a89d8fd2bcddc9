/**
 * Reads, parses, validates and env-merges a wrangler config: the one entry the CLI calls.
 * Returns warnings instead of printing them (the caller owns the logger).
 */
import fs from "node:fs";
import path from "node:path";
import { HearthError } from "../shared/errors.js";
import { mergeEnvironment, topLevelConfig } from "./environments.js";
import { findConfigPath, isFile } from "./find.js";
import { formatOf, isPlainObject, parseConfigText } from "./parse.js";
import type { WranglerConfig } from "./schema.js";
import { findDuplicateBindings, throwIfProblems, validateSection, type ConfigProblem } from "./validate.js";

export interface LoadedConfig {
  /** Absolute path of the config file; undefined when none was found or given. */
  path?: string;
  /** Folder of the config file, else the cwd: relative paths in the config resolve against it. */
  dir: string;
  /**
   * Effective config: the top level merged with [env.NAME] by wrangler's rules (inheritable keys
   * fall back to the top level; non-inheritable keys do not; top-level-only keys are ignored inside
   * env, with a warning). `name` becomes `<name>-<env>` unless the env sets its own name. `env`,
   * `$schema` and unknown keys are removed. Relative paths are kept as written (see `dir`).
   */
  config: WranglerConfig;
  /** The selected environment name, if any. */
  envName?: string;
  /** true when the file has pages_build_output_dir. */
  isPages: boolean;
  /** Human-readable warnings, in wrangler's wording where it has one. Never printed by this module. */
  warnings: string[];
}

export interface ReadConfigOptions {
  cwd: string;
  /** `-c/--config`: resolved against `cwd`; must exist. */
  configPath?: string;
  /** `-e/--env`. */
  env?: string;
}

const PAGES_ENV_NAMES = ["preview", "production"];

/**
 * Reads, parses, validates and env-merges a config. `configPath` (from -c) is resolved against
 * `cwd` and must exist (ERR_CONFIG_MISSING naming the path); without it, discovery from `cwd`; no
 * file at all → config `{}` and dir = cwd.
 *
 * Selecting an env the file lacks is an ERR_CONFIG_INVALID naming the env and the file, except
 * (as wrangler) when the file declares no environments at all — then it is a warning and the top
 * level is used with the name suffixed — and for Pages configs, which fall back to the top level.
 */
export function readConfig(options: ReadConfigOptions): LoadedConfig {
  const cwd = path.resolve(options.cwd);
  const envName = options.env === undefined || options.env === "" ? undefined : options.env;
  const file = locate(cwd, options.configPath);
  if (file === undefined) return { dir: cwd, config: {}, envName, isPages: false, warnings: [] };

  const display = path.relative(cwd, file) || file;
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new HearthError("ERR_CONFIG_PARSE", `${display}: could not read the file (${(error as Error).message})`, { file }, { cause: error });
  }
  const raw = parseConfigText(text, file, display);

  const warnings: string[] = [];
  const problems: ConfigProblem[] = [];
  const topDiagnostics = validateSection(raw);
  warnings.push(...topDiagnostics.warnings);
  problems.push(...topDiagnostics.errors);
  const top = without(raw, topDiagnostics.ignored);

  const isPages = raw["pages_build_output_dir"] !== undefined;
  const envs = isPlainObject(raw["env"]) ? raw["env"] : {};
  const declaredEnvs = Object.keys(envs);
  if (isPages) {
    const unsupported = declaredEnvs.filter((name) => !PAGES_ENV_NAMES.includes(name));
    if (unsupported.length > 0) {
      warnings.push(
        `Configuration file contains the following environment names that are not supported by Pages projects:\n` +
          `${unsupported.map((name) => JSON.stringify(name)).join(",")}.\n` +
          `The supported named-environments for Pages are "preview" and "production".`,
      );
    }
  }

  let config: Record<string, unknown>;
  if (envName === undefined) {
    config = topLevelConfig(top);
  } else {
    const section = envs[envName];
    if (isPlainObject(section)) {
      const envDiagnostics = validateSection(section, envName);
      warnings.push(...envDiagnostics.warnings);
      problems.push(...envDiagnostics.errors);
      const merged = mergeEnvironment(top, envName, without(section, envDiagnostics.ignored));
      warnings.push(...merged.warnings);
      config = merged.config;
    } else if (section !== undefined) {
      // Not an object: the top-level validation already reported `env.<name>`.
      config = topLevelConfig(top);
    } else if (isPages) {
      config = topLevelConfig(top);
    } else {
      const message = noEnvironmentMessage(envName, declaredEnvs, file);
      if (declaredEnvs.length > 0) {
        throw new HearthError("ERR_CONFIG_INVALID", `${display}: ${message}`, { file, key: `env.${envName}`, flag: "--env" });
      }
      warnings.push(message);
      const merged = mergeEnvironment(top, envName, undefined);
      config = merged.config;
    }
  }

  throwIfProblems(problems, file, display);
  throwIfProblems(findDuplicateBindings(config), file, display);
  return { path: file, dir: path.dirname(file), config: config as WranglerConfig, envName, isPages, warnings };
}

function locate(cwd: string, configPath: string | undefined): string | undefined {
  if (configPath === undefined) return findConfigPath(cwd);
  const file = path.resolve(cwd, configPath);
  if (!isFile(file)) {
    const what = fs.existsSync(file) ? "is not a file" : "does not exist";
    throw new HearthError("ERR_CONFIG_MISSING", `Config file ${file} ${what}.`, { file, flag: "--config" });
  }
  return file;
}

function without(section: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  if (keys.length === 0) return section;
  const copy = { ...section };
  for (const key of keys) delete copy[key];
  return copy;
}

/** wrangler's message, with the snippet in the file's own format. */
function noEnvironmentMessage(envName: string, declared: string[], file: string): string {
  const available =
    declared.length > 0 ? `The available configured environment names are: ${JSON.stringify(declared)}\n` : "";
  const snippet =
    formatOf(file) === "toml" ? `[env.${envName}]` : `"env": {\n  ${JSON.stringify(envName)}: {}\n}`;
  return (
    `No environment found in configuration with name "${envName}".\n` +
    `Before using \`--env=${envName}\` there should be an equivalent environment section in the configuration.\n` +
    available +
    `\nConsider adding an environment configuration section to the ${path.basename(file)} file:\n` +
    "```\n" +
    snippet +
    "\n```"
  );
}
