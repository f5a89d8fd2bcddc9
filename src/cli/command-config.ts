/**
 * The steps the local-state commands (`hearth kv`, `r2`, `d1`, `queues`) share: the
 * `--config/--env/--persist-to/--local/--remote` flags, and turning them into a loaded config (its
 * warnings printed) and the state root the data lives under.
 */
import type { Argv } from "yargs";
import type { LoadedConfig, ReadConfigOptions } from "../config/index.js";
import { HearthError } from "../shared/errors.js";
import { resolveStateRoot } from "../shared/paths.js";

/** The flags `localStateOptions` declares. */
export interface LocalStateArgs {
  local?: boolean;
  remote?: boolean;
  "persist-to"?: string;
  config?: string;
  env?: string;
}

/** What these steps need of a command's context. */
export interface CommandConfigContext {
  out: { stderr(text: string): void };
  cwd: () => string;
  readConfig: (options: ReadConfigOptions) => LoadedConfig;
}

/** `-c/--config` and `-e/--env`. */
export function configFileOptions<T>(y: Argv<T>) {
  return y
    .option("config", { alias: "c", type: "string", requiresArg: true, describe: "Path to the wrangler config file" })
    .option("env", { alias: "e", type: "string", requiresArg: true, describe: "Environment ([env.NAME]) to use" });
}

/** `--persist-to DIR`. */
export function persistToOption<T>(y: Argv<T>) {
  return y.option("persist-to", { type: "string", requiresArg: true, describe: "Folder of the local state (default .hearth/state in the project)" });
}

/** `--local` (always true) and `--remote` (refused). */
export function localOnlyOptions<T>(y: Argv<T>) {
  return y
    .option("local", { type: "boolean", describe: "Use the local state (always true)" })
    .option("remote", { type: "boolean", describe: "Not supported: Hearth only has local state" });
}

/** `-c/--config`, `-e/--env`, `--persist-to`, `--local` and `--remote`, in that order. */
export function localStateOptions<T>(y: Argv<T>) {
  return localOnlyOptions(persistToOption(configFileOptions(y)));
}

/** Refuses `--remote` (ERR_FLAG): `hearth <command>` works on the local state only. */
export function refuseRemote(args: Pick<LocalStateArgs, "remote">, command: string): void {
  if (args.remote) {
    throw new HearthError("ERR_FLAG", `--remote is not supported: Hearth's ${command} commands work on the local state.`, { flag: "--remote" });
  }
}

/** Loads the config `--config/--env` name, searched from the cwd; prints its warnings unless `quiet`. */
export function readCommandConfig(ctx: CommandConfigContext, args: Pick<LocalStateArgs, "config" | "env">, quiet = false): LoadedConfig {
  const loaded = ctx.readConfig({
    cwd: ctx.cwd(),
    ...(args.config !== undefined && { configPath: args.config }),
    ...(args.env !== undefined && { env: args.env }),
  });
  if (!quiet) for (const warning of loaded.warnings) ctx.out.stderr(`▲ [WARNING] ${warning}\n`);
  return loaded;
}

/** The state root: `--persist-to` (resolved against the cwd), else the project's `.hearth/state`. */
export function commandStateRoot(ctx: CommandConfigContext, loaded: LoadedConfig, args: Pick<LocalStateArgs, "persist-to">): string {
  return resolveStateRoot(loaded.dir, args["persist-to"], ctx.cwd());
}
