/**
 * `hearth d1 …`: wrangler's D1 data-plane commands, run against the local state — the very file a
 * `hearth dev` server reads (both open `<state>/d1/<database id>/db.sqlite`).
 *
 *   d1 execute <db> (--command SQL | --file x.sql) [--json]
 *   d1 export <db> --output f.sql [--table T]… [--no-schema] [--no-data]
 *   d1 migrations create <db> <message>
 *   d1 migrations list <db>
 *   d1 migrations apply <db>
 *
 * `<db>` is a `database_name` or `binding` of the config's `d1_databases`. Every command takes
 * -c/--config and -e/--env; the data commands also take --local (the default and only mode) and
 * --persist-to DIR. Output text follows wrangler's.
 */
import fs from "node:fs";
import path from "node:path";
import type { Argv } from "yargs";
import {
  applyMigration,
  appliedMigrations,
  createMigrationsTable,
  D1_DEFAULT_MIGRATIONS_DIR,
  D1_DEFAULT_MIGRATIONS_TABLE,
  d1DatabaseDir,
  d1DatabaseId,
  listMigrationFiles,
  migrationFileHeader,
  migrationFileName,
  nextMigrationNumber,
  openSqliteD1Store,
  splitStatements,
  type D1BatchOptions,
  type D1DatabaseEntry,
  type D1QueryResult,
  type D1Store,
} from "../../bindings/d1/index.js";
import { readConfig as readConfigFromDisk, type LoadedConfig, type ReadConfigOptions } from "../../config/index.js";
import { HearthError } from "../../shared/errors.js";
import { commandStateRoot, configFileOptions, localOnlyOptions, persistToOption, readCommandConfig } from "../command-config.js";
import { kindDir } from "../../shared/paths.js";
import { textTable } from "../text-table.js";

/** Where the commands write; a test passes one that captures. */
export interface D1CommandOutput {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stdout is a terminal: results are tables there and JSON otherwise, as in wrangler. */
  isTTY: boolean;
  /** Sets the exit status without throwing (a `--json` error is printed as JSON, then exits 1). */
  setExitCode(code: number): void;
}

export interface D1CommandOptions {
  output?: D1CommandOutput;
  /** Folder the config is searched from and --persist-to/--file are resolved against. Default: process.cwd(). */
  cwd?: string;
  /** Config loader. Default: readConfig from src/config. */
  readConfig?: (options: ReadConfigOptions) => LoadedConfig;
  /** The time written into new migration files. Default: now. */
  now?: () => Date;
}

/** A SQL file with at least this many statements shows its progress while it runs. */
const PROGRESS_MIN_STATEMENTS = 1000;
/** Progress is reported each time this share of the statements (in percent) is done. */
const PROGRESS_STEP_PERCENT = 10;
/** Statements quoted in error messages are cut to this many characters. */
const QUOTED_STATEMENT_MAX_CHARS = 120;
/** The first bytes of a SQLite database file (not a SQL text file). */
const SQLITE_FILE_MAGIC = "SQLite format 3";

const processOutput: D1CommandOutput = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  get isTTY() {
    return process.stdout.isTTY === true;
  },
  setExitCode: (code) => {
    process.exitCode = code;
  },
};

interface Context {
  out: D1CommandOutput;
  cwd: () => string;
  readConfig: (options: ReadConfigOptions) => LoadedConfig;
  now: () => Date;
}

interface CommonArgs {
  database: string;
  local?: boolean;
  remote?: boolean;
  preview?: boolean;
  "persist-to"?: string;
  config?: string;
  env?: string;
}
type ExecuteArgs = CommonArgs & { command?: string; file?: string; json?: boolean; yes?: boolean };
type CreateArgs = Pick<CommonArgs, "database" | "config" | "env"> & { message: string };
type ExportArgs = CommonArgs & { output: string; table?: string[]; schema: boolean; data: boolean };

/** Adds `d1 execute` and `d1 migrations create|list|apply` to a yargs instance. */
export function registerD1Commands(cli: Argv, options: D1CommandOptions = {}): Argv {
  const ctx: Context = {
    out: options.output ?? processOutput,
    cwd: () => options.cwd ?? process.cwd(),
    readConfig: options.readConfig ?? readConfigFromDisk,
    now: options.now ?? (() => new Date()),
  };
  const database = <T>(y: Argv<T>) => y.positional("database", { type: "string", describe: "The name or binding of the DB", demandOption: true });
  return cli.command("d1", "Query and migrate D1 databases in the local state", (d1) =>
    d1
      .command(
        "execute <database>",
        "Execute a command or SQL file",
        (c) =>
          dataOptions(database(c))
            .option("command", { type: "string", requiresArg: true, describe: "A single SQL statement to execute" })
            .option("file", { type: "string", requiresArg: true, describe: "A .sql file to ingest" })
            .option("json", { type: "boolean", default: false, describe: "Return output as clean JSON" })
            .option("yes", { alias: "y", type: "boolean", describe: "Accepted for wrangler compatibility (local runs never ask)" }),
        (argv) => execute(ctx, argv as unknown as ExecuteArgs),
      )
      .command(
        "export <database>",
        "Export the contents or schema of a database as a .sql file",
        (c) =>
          dataOptions(database(c))
            .option("output", { type: "string", requiresArg: true, demandOption: true, describe: "Path to the SQL file to write" })
            .option("table", { type: "string", array: true, requiresArg: true, describe: "Only this table (repeatable)" })
            .option("schema", { type: "boolean", default: true, describe: "Write the schema (--no-schema: only the data)" })
            .option("data", { type: "boolean", default: true, describe: "Write the data (--no-data: only the schema)" }),
        (argv) => exportDatabase(ctx, argv as unknown as ExportArgs),
      )
      .command("migrations", "Create, list and apply D1 migrations", (m) =>
        m
          .command(
            "create <database> <message>",
            "Create a new migration file",
            (c) => configFileOptions(database(c)).positional("message", { type: "string", describe: "The migration message", demandOption: true }),
            (argv) => migrationsCreate(ctx, argv as unknown as CreateArgs),
          )
          .command(
            "list <database>",
            "List the migrations not applied yet",
            (c) => dataOptions(database(c)),
            (argv) => migrationsList(ctx, argv as unknown as CommonArgs),
          )
          .command(
            "apply <database>",
            "Apply the migrations not applied yet, each in its own transaction",
            (c) => dataOptions(database(c)).option("force", { type: "boolean", describe: "Accepted for wrangler compatibility (local runs never ask)" }),
            (argv) => migrationsApply(ctx, argv as unknown as CommonArgs),
          )
          .demandCommand(1, "Say which migrations command to run: create, list or apply."),
      )
      .demandCommand(1, "Say which d1 command to run: execute, export or migrations."),
  );
}

function dataOptions<T>(y: Argv<T>) {
  const options = localOnlyOptions(configFileOptions(y)).option("preview", { type: "boolean", describe: "Not supported: it needs --remote" });
  return persistToOption(options);
}

// ---------------------------------------------------------------------------------------------
// Shared steps

/** A database of the config, opened on the local state. */
interface Target {
  name: string;
  databaseId: string;
  entry: D1DatabaseEntry;
  loaded: LoadedConfig;
  stateRoot: string;
}

function commandError(message: string, context: { flag?: string; file?: string } = {}): HearthError {
  return new HearthError("ERR_COMMAND", message, context);
}

function checkLocalOnly(args: CommonArgs): void {
  if (args.remote) throw commandError("--remote is not supported: Hearth's d1 commands work on the local state.", { flag: "--remote" });
  if (args.preview) throw commandError("Error: can't use --preview without --remote", { flag: "--preview" });
}

/** The `d1_databases` entry whose `binding` or `database_name` is `name` (wrangler's lookup). */
function findDatabase(ctx: Context, loaded: LoadedConfig, args: CommonArgs): Target {
  const name = args.database;
  const entry = (loaded.config.d1_databases ?? []).find((e) => e.binding === name || e.database_name === name);
  if (entry === undefined) {
    const where = loaded.path ? `in your ${path.basename(loaded.path)} file` : `(no wrangler config file was found from ${loaded.dir})`;
    throw new HearthError("ERR_COMMAND", `Couldn't find a D1 DB with the name or binding '${name}' ${where}.`, {
      ...(loaded.path !== undefined && { file: loaded.path }),
      key: "d1_databases",
    });
  }
  return { name, databaseId: d1DatabaseId(entry), entry, loaded, stateRoot: commandStateRoot(ctx, loaded, args) };
}

async function withStore<T>(target: Target, fn: (store: D1Store) => Promise<T>): Promise<T> {
  const store = openSqliteD1Store(d1DatabaseDir(target.stateRoot, target.databaseId));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

function announce(ctx: Context, target: Target): void {
  const where = path.relative(ctx.cwd(), kindDir(target.stateRoot, "d1")) || ".";
  ctx.out.stdout(`🌀 Executing on local database ${target.name} (${target.databaseId}) from ${where}:\n`);
}

/** Progress lines on stderr for batches of at least PROGRESS_MIN_STATEMENTS queries. */
function progressReporter(ctx: Context, what: string, total: number): D1BatchOptions {
  if (total < PROGRESS_MIN_STATEMENTS) return {};
  let reported = 0;
  return {
    onProgress(done) {
      const percent = Math.floor((done * 100) / total);
      if (percent < reported + PROGRESS_STEP_PERCENT && done !== total) return;
      reported = percent - (percent % PROGRESS_STEP_PERCENT);
      ctx.out.stderr(`🌀 ${what}: ${done} of ${total} statements (${percent}%)\n`);
    },
  };
}

function quoteStatement(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > QUOTED_STATEMENT_MAX_CHARS ? `${oneLine.slice(0, QUOTED_STATEMENT_MAX_CHARS - 1)}…` : oneLine;
}

// ---------------------------------------------------------------------------------------------
// d1 execute

function readSqlFile(ctx: Context, file: string): string {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path.resolve(ctx.cwd(), file));
  } catch (error) {
    throw new HearthError("ERR_COMMAND", `Unable to read SQL text file "${file}". Please check the file path and try again.`, { file, flag: "--file" }, { cause: error });
  }
  if (bytes.subarray(0, SQLITE_FILE_MAGIC.length).toString("latin1") === SQLITE_FILE_MAGIC) {
    throw commandError(
      "Provided file is a binary SQLite database file instead of an SQL text file. The execute command can only process SQL text files. Please export an SQL file from your SQLite database and try again.",
      { file, flag: "--file" },
    );
  }
  return bytes.toString("utf8");
}

/** A result row as wrangler's local execute prints it: BLOBs as "[1, 2]", NULL as "null". */
function printableRows(result: D1QueryResult): Record<string, unknown>[] {
  return result.rows.map((row) =>
    Object.fromEntries(
      result.columns.map((column, i) => {
        const value = row[i] ?? null;
        if (value === null) return [column, "null"];
        if (value instanceof Uint8Array) return [column, `[${Array.from(value).join(", ")}]`];
        return [column, value];
      }),
    ),
  );
}

async function execute(ctx: Context, args: ExecuteArgs): Promise<void> {
  const json = args.json === true;
  try {
    if (args.file !== undefined && args.command !== undefined) throw commandError("Error: can't provide both --command and --file.", { flag: "--file" });
    if (args.file === undefined && args.command === undefined) throw commandError("Error: must provide --command or --file.", { flag: "--command" });
    checkLocalOnly(args);
    const target = findDatabase(ctx, readCommandConfig(ctx, args, json), args);
    const sql = args.file !== undefined ? readSqlFile(ctx, args.file) : args.command!;
    if (!json) announce(ctx, target);
    const statements = splitStatements(sql, { triggerWords: "statement" }).map((s) => s.text);
    // Nothing to run: send the text as is, so the store answers as D1 does ("No SQL statements detected.").
    const queries = (statements.length > 0 ? statements : [sql]).map((text) => ({ sql: text, params: [] }));
    const progress = json ? {} : progressReporter(ctx, `Executing ${args.file ?? "the command"}`, queries.length);
    const outcome = await withStore(target, (store) => store.batch(queries, progress));
    if (!outcome.ok) {
      const failed = outcome.index !== undefined && queries.length > 1 ? queries[outcome.index] : undefined;
      const where = failed ? `\nThe failing statement (${outcome.index! + 1} of ${queries.length}) was: ${quoteStatement(failed.sql)}` : "";
      throw commandError(`${outcome.error}${where}`, args.file !== undefined ? { file: args.file } : {});
    }
    const results = outcome.results.map((result) => ({ results: printableRows(result), success: true, meta: { duration: result.meta.duration } }));
    if (!json) {
      const n = results.length;
      ctx.out.stdout(`🚣 ${n} command${n === 1 ? "" : "s"} executed successfully.\n`);
    }
    if (ctx.out.isTTY && !json) {
      for (const result of results) {
        if (result.results.length > 0) {
          ctx.out.stdout(textTable(result.results.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, String(v)])))));
        }
      }
    } else {
      ctx.out.stdout(JSON.stringify(results, undefined, 2) + "\n");
    }
  } catch (error) {
    if (!json) throw error;
    ctx.out.stdout(JSON.stringify({ error: { text: (error as Error).message } }, undefined, 2) + "\n");
    ctx.out.setExitCode(1);
  }
}

// ---------------------------------------------------------------------------------------------
// d1 migrations …

/** The entry's migrations folder and table; the folder must exist unless `create` is true. */
function migrationsOf(ctx: Context, target: Target, create: boolean): { dir: string; table: string } {
  const configured = target.entry.migrations_dir;
  const dir = path.resolve(target.loaded.dir, configured ?? D1_DEFAULT_MIGRATIONS_DIR);
  const table = target.entry.migrations_table ?? D1_DEFAULT_MIGRATIONS_TABLE;
  if (!fs.existsSync(dir)) {
    const hint = configured === undefined ? " Set `migrations_dir` in the wrangler config to choose a different path." : "";
    if (!create) {
      ctx.out.stderr(`▲ [WARNING] No migrations folder found.${hint}\n`);
      throw commandError(`No migrations present at ${dir}.`, { file: dir });
    }
    fs.mkdirSync(dir, { recursive: true });
    ctx.out.stdout(`No migrations folder found.${hint} Created ${dir}.\n`);
  }
  return { dir, table };
}

function requireConfigFile(loaded: LoadedConfig): void {
  if (!loaded.path) {
    throw new HearthError("ERR_CONFIG_MISSING", `No configuration file found from ${loaded.dir}. Create a wrangler.jsonc file to define your D1 database.`);
  }
}

async function exportDatabase(ctx: Context, args: ExportArgs): Promise<void> {
  checkLocalOnly(args);
  if (!args.schema && !args.data) throw commandError("You cannot specify both --no-schema and --no-data", { flag: "--no-data" });
  const target = findDatabase(ctx, readCommandConfig(ctx, args), args);
  const output = path.resolve(ctx.cwd(), args.output);
  ctx.out.stdout(`🌀 Exporting local database ${target.name} (${target.databaseId}) to ${path.relative(ctx.cwd(), output) || output}\n`);
  let sql: string;
  try {
    sql = await withStore(target, (store) => store.exportSql({ tables: args.table ?? [], schema: args.schema, data: args.data }));
  } catch (e) {
    throw commandError(`Could not export ${target.name}: ${(e as Error).message}`, { flag: "database" });
  }
  fs.writeFileSync(output, sql);
  ctx.out.stdout(`✅ Exported ${target.name} to ${path.relative(ctx.cwd(), output) || output}\n`);
}

async function migrationsCreate(ctx: Context, args: CreateArgs): Promise<void> {
  const loaded = readCommandConfig(ctx, args);
  const target = findDatabase(ctx, loaded, args);
  requireConfigFile(loaded);
  const { dir } = migrationsOf(ctx, target, true);
  const number = nextMigrationNumber(listMigrationFiles(dir));
  const name = migrationFileName(number, args.message);
  fs.writeFileSync(path.join(dir, name), migrationFileHeader(number, ctx.now()), { flag: "wx" });
  ctx.out.stdout(`✅ Successfully created Migration '${name}'!\n\nThe migration is available for editing here\n${path.join(dir, name)}\n`);
}

/** Files of the folder that the tracking table does not list, in the order they apply. */
async function unappliedMigrations(store: D1Store, dir: string, table: string): Promise<string[]> {
  await createMigrationsTable(store, table);
  const applied = new Set(await appliedMigrations(store, table));
  return listMigrationFiles(dir).filter((file) => !applied.has(file));
}

async function migrationsList(ctx: Context, args: CommonArgs): Promise<void> {
  checkLocalOnly(args);
  const loaded = readCommandConfig(ctx, args);
  const target = findDatabase(ctx, loaded, args);
  requireConfigFile(loaded);
  const { dir, table } = migrationsOf(ctx, target, false);
  announce(ctx, target);
  const pending = await withStore(target, (store) => unappliedMigrations(store, dir, table).catch(rethrowAsCommandError));
  if (pending.length === 0) {
    ctx.out.stdout("✅ No migrations to apply!\n");
    return;
  }
  ctx.out.stdout("Migrations to be applied:\n" + textTable(pending.map((name) => ({ Name: name }))));
}

async function migrationsApply(ctx: Context, args: CommonArgs): Promise<void> {
  checkLocalOnly(args);
  const loaded = readCommandConfig(ctx, args);
  requireConfigFile(loaded);
  const target = findDatabase(ctx, loaded, args);
  const { dir, table } = migrationsOf(ctx, target, false);
  announce(ctx, target);
  await withStore(target, async (store) => {
    const pending = await unappliedMigrations(store, dir, table).catch(rethrowAsCommandError);
    if (pending.length === 0) {
      ctx.out.stdout("✅ No migrations to apply!\n");
      return;
    }
    ctx.out.stdout("Migrations to be applied:\n" + textTable(pending.map((name) => ({ name }))));
    const status = new Map(pending.map((name) => [name, "🕒️"]));
    const statusTable = () => textTable(pending.map((name) => ({ name, status: status.get(name)! })));
    for (const name of pending) {
      const file = path.join(dir, name);
      const sql = fs.readFileSync(file, "utf8");
      const progress = progressReporter(ctx, `Applying ${name}`, splitStatements(sql, { triggerWords: "statement" }).length + 1);
      const outcome = await applyMigration(store, table, name, sql, progress);
      status.set(name, outcome.ok ? "✅" : "❌");
      if (!outcome.ok) {
        ctx.out.stdout(statusTable());
        ctx.out.stderr(`✘ [ERROR] Migration ${name} failed with the following errors:\n`);
        const where = outcome.statement !== undefined ? `\nThe failing statement was: ${quoteStatement(outcome.statement)}` : "";
        throw commandError(`${outcome.error}${where}`, { file });
      }
      ctx.out.stdout(`✅ Applied ${name}\n`);
    }
    ctx.out.stdout(statusTable());
  });
}

function rethrowAsCommandError(error: unknown): never {
  throw commandError((error as Error).message);
}
