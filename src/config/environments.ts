/**
 * Builds the effective config for `--env NAME` from the top level and `[env.NAME]`, by wrangler's
 * rules (api-surface.md 0.2), reading each key's scope from the table in `schema.ts`:
 *
 * - top-level-only keys always come from the top level (inside an env they were already warned
 *   about by the validator and are ignored here);
 * - inherited keys take the env's value, else the top level's; `name` becomes `<name>-<env>`
 *   unless the env sets its own;
 * - not-inherited keys take the env's value or nothing, with wrangler's warning when the top level
 *   has one.
 *
 * Unknown keys (already warned about) and `$schema` / `env` never reach the result.
 */
import { isPlainObject } from "./parse.js";
import { KNOWN_KEYS, keySpec } from "./schema.js";

export interface MergedConfig {
  config: Record<string, unknown>;
  warnings: string[];
}

/** Keys that are accepted in the file but are not part of the effective config. */
const DROPPED_KEYS = new Set(["$schema", "env"]);

/** The effective config without an env: the known top-level keys. */
export function topLevelConfig(top: Record<string, unknown>): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const key of KNOWN_KEYS) {
    if (!DROPPED_KEYS.has(key) && top[key] !== undefined) config[key] = top[key];
  }
  return config;
}

/**
 * Merges `[env.envName]` into the top level. `section` is undefined when the file declares no
 * such env but the caller decided to carry on (wrangler does when the file has no envs at all):
 * then every key comes from the top level and only `name` gets the env suffix.
 */
export function mergeEnvironment(
  top: Record<string, unknown>,
  envName: string,
  section: Record<string, unknown> | undefined,
): MergedConfig {
  const config = topLevelConfig(top);
  const warnings: string[] = [];
  if (section === undefined) {
    if (typeof top["name"] === "string") config["name"] = `${top["name"]}-${envName}`;
    return { config, warnings };
  }
  for (const key of KNOWN_KEYS) {
    const spec = keySpec(key)!;
    const own = section[key];
    if (spec.scope === "inherited") {
      if (own !== undefined) config[key] = own;
    } else if (spec.scope === "not-inherited") {
      delete config[key];
      if (own !== undefined) config[key] = own;
      else if (top[key] !== undefined) warnings.push(notInheritedWarning(key, envName));
    }
  }
  if (section["name"] === undefined && typeof top["name"] === "string") {
    config["name"] = `${top["name"]}-${envName}`;
  }
  warnings.push(...missingVarWarnings(top["vars"], section["vars"], envName));
  return { config, warnings };
}

function notInheritedWarning(key: string, envName: string): string {
  return (
    `"${key}" exists at the top level, but not on "env.${envName}".\n` +
    `This is not what you probably want, since "${key}" is not inherited by environments.\n` +
    `Please add "${key}" to "env.${envName}".`
  );
}

/** wrangler also warns about each top-level var an env's `vars` leaves out. */
function missingVarWarnings(topVars: unknown, envVars: unknown, envName: string): string[] {
  if (!isPlainObject(topVars) || !isPlainObject(envVars)) return [];
  return Object.keys(topVars)
    .filter((name) => !Object.hasOwn(envVars, name))
    .map(
      (name) =>
        `"vars.${name}" exists at the top level, but not on "env.${envName}.vars".\n` +
        `This is not what you probably want, since "vars" configuration is not inherited by environments.\n` +
        `Please add "vars.${name}" to "env.${envName}".`,
    );
}
