/**
 * `hearth dev`: builds the Worker(s), serves the first on --ip/--port, rebuilds on change.
 * Flags as `wrangler dev`'s; see docs/cli.md.
 */
import type { Argv } from "yargs";
import { planWorker, type WorkerFlags, type WorkerPlan } from "../../config/index.js";
import { RunningWorker } from "../../runtime/running-worker.js";
import { DevRegistry } from "../../runtime/dev-registry.js";
import { SessionTriggers } from "../../runtime/session-triggers.js";
import { WorkerDirectory } from "../../runtime/service-router.js";
import { startServer } from "../../server/http.js";
import { LiveReload } from "../../server/live-reload.js";
import { HearthError } from "../../shared/errors.js";
import { createLogger, LOG_LEVELS, type Logger, type LogLevel } from "../../shared/log.js";
import { bindingTable } from "../banner.js";
import { replanOnChange, stopOnSignal } from "../session-lifecycle.js";
import { keyValuePairs, portValue } from "../flag-values.js";
import { openInspector } from "../inspector.js";
import { localProtocolOptions, tlsFor, type LocalProtocolArgs } from "../local-protocol.js";
import { VERSION } from "../version.js";

const DEFAULT_PORT = 8787;
const DEFAULT_IP = "127.0.0.1";

export interface DevArgs extends LocalProtocolArgs {
  script?: string;
  config?: string[];
  env?: string;
  "env-file"?: string[];
  name?: string;
  port?: number;
  ip?: string;
  var?: string[];
  define?: string[];
  "persist-to"?: string;
  "compatibility-date"?: string;
  "compatibility-flags"?: string[];
  "live-reload"?: boolean;
  "log-level"?: LogLevel;
  "inspector-port"?: number;
  "test-scheduled"?: boolean;
  minify?: boolean;
  remote?: boolean;
  local?: boolean;
}

export function registerDevCommand(cli: Argv): Argv {
  return cli.command(
    "dev [script]",
    "Run a Worker project locally, rebuilding on change",
    (y) =>
      localProtocolOptions(y)
        .positional("script", { type: "string", describe: "Entry module (instead of `main` from the config)" })
        .option("config", { alias: "c", type: "string", array: true, describe: "Config file; repeat for several Workers (the first is served)" })
        .option("env", { alias: "e", type: "string", describe: "Environment ([env.NAME]) to use" })
        .option("env-file", { type: "string", array: true, describe: "Read vars from these .env files instead of .dev.vars/.env" })
        .option("name", { type: "string", describe: "Name of the Worker" })
        .option("port", { type: "number", describe: `Port to listen on (default ${DEFAULT_PORT})` })
        .option("ip", { type: "string", describe: `IP address to listen on (default ${DEFAULT_IP})` })
        .option("var", { type: "string", array: true, describe: "A var for the Worker, KEY:VALUE (repeatable)" })
        .option("define", { type: "string", array: true, describe: "Replace a global identifier at build time, KEY:VALUE" })
        .option("persist-to", { type: "string", describe: "Folder for local state (default .hearth/state in the project)" })
        .option("compatibility-date", { type: "string", describe: "Compatibility date, YYYY-MM-DD" })
        .option("compatibility-flags", { alias: "compatibility-flag", type: "string", array: true, describe: "Compatibility flags (replace the config's)" })
        .option("live-reload", { type: "boolean", describe: "Reload HTML pages when the Worker changes" })
        .option("log-level", { type: "string", choices: LOG_LEVELS, describe: "Which log lines to show" })
        .option("inspector-port", { type: "number", describe: "Open Node's inspector on this port (Chrome DevTools, VS Code); Workers run in its worker threads" })
        .option("test-scheduled", { type: "boolean", describe: "Also trigger scheduled() at /__scheduled?cron=..." })
        .option("minify", { type: "boolean", describe: "Minify the bundle" })
        .option("local", { alias: "l", type: "boolean", describe: "Run locally (always true)" })
        .option("remote", { alias: "r", type: "boolean", describe: "Not supported: Hearth runs everything locally" }),
    (argv) => runDev(argv as DevArgs),
  );
}

export async function runDev(args: DevArgs, cwd = process.cwd()): Promise<void> {
  const logger = createLogger(args["log-level"] ?? "info");
  if (args.remote) throw new HearthError("ERR_FLAG", "--remote is not supported: Hearth runs Workers and their bindings locally.", { flag: "--remote" });
  const configs = args.config && args.config.length > 0 ? args.config : [undefined];
  const flagsFor = (configPath: string | undefined, primary: boolean): WorkerFlags => ({
    cwd,
    configPath,
    env: args.env,
    script: primary ? args.script : undefined,
    name: primary ? args.name : undefined,
    compatibilityDate: args["compatibility-date"],
    compatibilityFlags: args["compatibility-flags"],
    vars: primary ? keyValuePairs(args.var, ":", "--var") : undefined,
    define: keyValuePairs(args.define, ":", "--define"),
    envFiles: args["env-file"],
    persistTo: args["persist-to"],
    minify: args.minify,
  });

  logger.info(`⛅ hearth ${VERSION}`);
  const liveReload = args["live-reload"] ? await LiveReload.create() : undefined;
  const workers: RunningWorker[] = [];
  const registry = new DevRegistry();
  // Cron triggers and queue consumers of every Worker of the session.
  const triggers = new SessionTriggers({ logger });
  const syncTriggers = () => triggers.sync(workers).catch((error: unknown) => logger.error(`Could not start cron triggers or queue consumers: ${(error as Error).message}`));
  const directory = new WorkerDirectory(registry);
  for (const [index, configPath] of configs.entries()) {
    const flags = flagsFor(configPath, index === 0);
    const plan = planWorker(flags);
    showNotes(plan, logger);
    for (const line of bindingTable(plan, cwd)) logger.info(line);
    const worker = await RunningWorker.start(plan, { logger, watch: true, onReload: () => liveReload?.notify(), router: directory });
    directory.add(plan.name, () => worker.service);
    workers.push(worker);
    replanOnChange(
      [worker.plan.configPath, ...worker.plan.watchFiles].filter((f): f is string => f !== undefined),
      async () => {
        const next = planWorker(flags);
        showNotes(next, logger);
        await worker.replan(next);
        logger.info(`⎔ Reloaded ${next.name} with the new configuration.`);
        await syncTriggers();
      },
      logger,
    );
  }
  const primary = workers[0]!;
  if (args["inspector-port"] !== undefined) openInspector(portValue(args["inspector-port"], "--inspector-port")!, logger);

  const tls = await tlsFor(args, primary.plan.dev.localProtocol, cwd);
  const server = await startServer({
    tls,
    ip: args.ip ?? primary.plan.dev.ip ?? DEFAULT_IP,
    port: portValue(args.port, "--port") ?? primary.plan.dev.port ?? DEFAULT_PORT,
    target: () => primary.service,
    logger,
    testScheduled: args["test-scheduled"],
    liveReload,
    workers: directory,
    stateRoot: primary.plan.stateRoot,
  });
  logger.info(`[hearth] Ready on ${server.url.href.replace(/\/$/, "")}`);
  await syncTriggers();
  // Other Hearth processes on this machine can now reach these Workers through service bindings.
  const withdraw = directory.names().map((name) => registry.register(name, server.url.href));
  process.once("exit", () => withdraw.forEach((w) => w()));
  // Queue brokers first: batches in flight finish (or are given back) while their Workers still run.
  stopOnSignal(() => triggers.dispose().catch(() => undefined).then(() => Promise.allSettled([server.close(), ...workers.map((w) => w.dispose())])));
}

function showNotes(plan: WorkerPlan, logger: Logger): void {
  for (const note of plan.notes) logger[note.level](note.message);
}
