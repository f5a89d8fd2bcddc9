/**
 * `hearth analytics sql "<query>"`: runs an Analytics Engine SQL API query against the local
 * state — the points a `hearth dev` server's Workers wrote (`<state>/analytics-engine/db.sqlite`),
 * readable while it runs — and prints the response body the HTTP SQL API would send.
 *
 * Takes --local (the default and only mode), --persist-to DIR, -c/--config and -e/--env (the
 * config decides where the state lives), and --file to read the query from a file.
 */
import fs from "node:fs";
import path from "node:path";
import type { Argv } from "yargs";
import { AnalyticsSqlError, openAnalyticsDatabase, runAnalyticsQuery } from "../../bindings/analytics-engine/index.js";
import { readConfig as readConfigFromDisk, type LoadedConfig, type ReadConfigOptions } from "../../config/index.js";
import { HearthError } from "../../shared/errors.js";
import { commandStateRoot, localStateOptions, readCommandConfig, refuseRemote, type LocalStateArgs } from "../command-config.js";

export interface AnalyticsCommandOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface AnalyticsCommandOptions {
  /** Default: the process's stdout and stderr. */
  output?: AnalyticsCommandOutput;
  /** Folder the config is searched from and paths are resolved against. Default: process.cwd(). */
  cwd?: string;
  /** Config loader. Default: readConfig from src/config. */
  readConfig?: (options: ReadConfigOptions) => LoadedConfig;
}

type SqlArgs = LocalStateArgs & { query?: string; file?: string };

interface Context {
  out: AnalyticsCommandOutput;
  cwd: () => string;
  readConfig: (options: ReadConfigOptions) => LoadedConfig;
}

const processOutput: AnalyticsCommandOutput = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

/** Adds `analytics sql` to a yargs instance. */
export function registerAnalyticsCommands(cli: Argv, options: AnalyticsCommandOptions = {}): Argv {
  const ctx: Context = {
    out: options.output ?? processOutput,
    cwd: () => options.cwd ?? process.cwd(),
    readConfig: options.readConfig ?? readConfigFromDisk,
  };
  return cli.command("analytics", "Query the Analytics Engine data points in the local state", (a) =>
    a
      .command(
        "sql [query]",
        "Run a query of the Analytics Engine SQL API (FORMAT JSON by default)",
        (c) =>
          localStateOptions(c)
            .positional("query", { type: "string", describe: "The SQL query, e.g. \"SELECT count() FROM my_dataset\"" })
            .option("file", { type: "string", requiresArg: true, describe: "Read the query from this file" }),
        (argv) => analyticsSql(ctx, argv as SqlArgs),
      )
      .demandCommand(1, "Say which analytics command to run: sql."),
  );
}

function queryText(ctx: Context, args: SqlArgs): string {
  if (args.query !== undefined && args.file !== undefined) {
    throw new HearthError("ERR_FLAG", "Give the query either as an argument or with --file, not both.", { flag: "--file" });
  }
  if (args.file !== undefined) {
    const file = path.resolve(ctx.cwd(), args.file);
    try {
      return fs.readFileSync(file, "utf8");
    } catch (error) {
      throw new HearthError("ERR_FLAG", `Could not read the query file ${file}: ${(error as Error).message}`, { flag: "--file" });
    }
  }
  if (args.query === undefined || args.query.trim() === "") {
    throw new HearthError("ERR_FLAG", 'Say which query to run: hearth analytics sql "SELECT ..." or --file query.sql.', { flag: "query" });
  }
  return args.query;
}

function analyticsSql(ctx: Context, args: SqlArgs): void {
  refuseRemote(args, "analytics");
  const query = queryText(ctx, args);
  const root = commandStateRoot(ctx, readCommandConfig(ctx, args), args);
  const db = openAnalyticsDatabase(root);
  try {
    const result = runAnalyticsQuery(db, query);
    ctx.out.stdout(result.body.endsWith("\n") ? result.body : `${result.body}\n`);
  } catch (error) {
    if (error instanceof AnalyticsSqlError) throw new HearthError("ERR_COMMAND", error.message, { flag: "query" });
    throw error;
  } finally {
    db.close();
  }
}
