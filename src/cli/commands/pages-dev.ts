/**
 * `hearth pages dev [directory]`: serves a Cloudflare Pages project — static assets, Functions
 * from `./functions` or an advanced-mode `_worker.js` — with the flags of `wrangler pages dev`.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Argv } from "yargs";
import { planPages, RunningPages, type PagesFlags, type PagesPlan } from "../../pages/index.js";
import { DevRegistry } from "../../runtime/dev-registry.js";
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

const DEFAULT_PORT = 8788;
const DEFAULT_IP = "127.0.0.1";
const CONFIG_RELOAD_DEBOUNCE_MS = 100;

export interface PagesDevArgs extends LocalProtocolArgs {
  directory?: string;
  command?: string;
  config?: string[];
  env?: string;
  "env-file"?: string[];
  port?: number;
  ip?: string;
  binding?: string[];
  kv?: string[];
  d1?: string[];
  r2?: string[];
  do?: string[];
  service?: string[];
  ai?: string[];
  "persist-to"?: string;
  "compatibility-date"?: string;
  "compatibility-flags"?: string[];
  "live-reload"?: boolean;
  "log-level"?: LogLevel;
  "inspector-port"?: number;
  proxy?: number;
}

export function registerPagesDevCommand(cli: Argv): Argv {
  return cli.command("pages", "Cloudflare Pages projects", (pages) =>
    pages
      .command(
        "dev [directory] [command]",
        "Serve a Pages project locally: static assets, Functions and _worker.js",
        (y) =>
          localProtocolOptions(y)
            .positional("directory", { type: "string", describe: "The folder of static assets (else pages_build_output_dir from the config)" })
            .positional("command", { type: "string", describe: "Not supported: the deprecated proxy mode" })
            .option("compatibility-date", { type: "string", describe: "Compatibility date, YYYY-MM-DD" })
            .option("compatibility-flags", { alias: "compatibility-flag", type: "string", array: true, describe: "Compatibility flags" })
            .option("ip", { type: "string", describe: `IP address to listen on (default ${DEFAULT_IP})` })
            .option("port", { type: "number", describe: `Port to listen on (default ${DEFAULT_PORT})` })
            .option("binding", { alias: "b", type: "string", array: true, describe: "A plain-text var, KEY=VALUE (repeatable)" })
            .option("kv", { alias: "k", type: "string", array: true, describe: "A KV namespace, BINDING[=NAMESPACE_ID]" })
            .option("d1", { type: "string", array: true, describe: "A D1 database, BINDING[=ID]" })
            .option("r2", { type: "string", array: true, describe: "An R2 bucket, BINDING[=BUCKET]" })
            .option("do", { alias: "o", type: "string", array: true, describe: "A Durable Object, BINDING=Class[@script]" })
            .option("service", { type: "string", array: true, describe: "A service binding, BINDING=script[@env]" })
            .option("ai", { type: "string", array: true, describe: "A Workers AI binding, BINDING (models run on HEARTH_AI_BASE_URL)" })
            .option("persist-to", { type: "string", describe: "Folder for local state (default .hearth/state in the project)" })
            .option("env-file", { type: "string", array: true, describe: "Read vars from these .env files instead of .dev.vars/.env" })
            .option("live-reload", { type: "boolean", describe: "Reload HTML pages when the project changes" })
            .option("log-level", { type: "string", choices: LOG_LEVELS, describe: "Which log lines to show" })
            .option("inspector-port", { type: "number", describe: "Open Node's inspector on this port (Chrome DevTools, VS Code); Workers run in its worker threads" })
            .option("config", { alias: "c", type: "string", array: true, hidden: true })
            .option("env", { alias: "e", type: "string", hidden: true })
            .option("proxy", { type: "number", hidden: true }),
        (argv) => runPagesDev(argv as PagesDevArgs),
      )
      .demandCommand(1, "Say which pages command to run (see hearth pages --help)."),
  );
}

/** Flag checks that must fail before anything starts, with wrangler's messages where it has them. */
function rejectUnsupported(args: PagesDevArgs): void {
  if (args.config?.length === 1) {
    throw new HearthError("ERR_FLAG", "Pages does not support custom paths for the Wrangler configuration file", { flag: "--config" });
  }
  if (args.env !== undefined) {
    throw new HearthError("ERR_FLAG", "Pages does not support targeting an environment with the --env flag during local development.", { flag: "--env" });
  }
  if (args.command !== undefined || args.proxy !== undefined) {
    throw new HearthError("ERR_FLAG", "Hearth does not support the deprecated proxy mode of pages dev: build your site and pass its output folder (hearth pages dev ./dist).", {
      flag: args.proxy !== undefined ? "--proxy" : "[command]",
    });
  }
}

export async function runPagesDev(args: PagesDevArgs, cwd = process.cwd()): Promise<void> {
  rejectUnsupported(args);
  const logger = createLogger(args["log-level"] ?? "info");
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-pages-"));
  const flags: PagesFlags = {
    cwd,
    directory: args.directory,
    configPaths: args.config,
    compatibilityDate: args["compatibility-date"],
    compatibilityFlags: args["compatibility-flags"],
    vars: keyValuePairs(args.binding, "=", "--binding"),
    kv: args.kv,
    d1: args.d1,
    r2: args.r2,
    do: args.do,
    service: args.service,
    ai: args.ai,
    envFiles: args["env-file"],
    persistTo: args["persist-to"],
    workDir,
  };

  let pages: RunningPages;
  try {
    logger.info(`⛅ hearth ${VERSION}`);
    const plan = planPages(flags);
    showPlan(plan, logger, cwd);
    const liveReload = args["live-reload"] ? await LiveReload.create() : undefined;
    pages = await RunningPages.start(plan, { logger, watch: true, onReload: () => liveReload?.notify(), router: new WorkerDirectory(new DevRegistry()) });
    if (liveReload) watchAssets(plan.directory, () => liveReload.notify());
    if (args["inspector-port"] !== undefined) openInspector(portValue(args["inspector-port"], "--inspector-port")!, logger);
    const server = await startServer({
      tls: await tlsFor(args, plan.worker.dev.localProtocol, cwd),
      ip: args.ip ?? plan.worker.dev.ip ?? DEFAULT_IP,
      port: portValue(args.port, "--port") ?? plan.worker.dev.port ?? DEFAULT_PORT,
      target: () => pages.target,
      logger,
      liveReload,
      stateRoot: plan.worker.stateRoot,
    });
    const running = pages;
    replanOnChange(
      running.plan.watchFiles,
      async () => {
        const plan = planPages(flags);
        for (const note of plan.worker.notes) logger[note.level](note.message);
        await running.replan(plan);
        logger.info("⎔ Reloaded the Pages project with the new configuration.");
      },
      logger,
    );
    logger.info(`[hearth] Ready on ${server.url.href.replace(/\/$/, "")}`);
    stopOnSignal(() => Promise.allSettled([server.close(), running.dispose()]).then(() => fs.rmSync(workDir, { recursive: true, force: true })));
  } catch (error) {
    fs.rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
}

function showPlan(plan: PagesPlan, logger: Logger, cwd: string): void {
  for (const note of plan.worker.notes) logger[note.level](note.message);
  const code =
    plan.mode.kind === "advanced" ? `Worker ${path.relative(cwd, plan.mode.entry)}` : plan.mode.kind === "functions" ? `Functions in ${path.relative(cwd, plan.mode.functionsDir) || "."}` : "no Functions";
  logger.info(`Serving ${path.relative(cwd, plan.directory) || "."} with ${code}.`);
  for (const line of bindingTable(plan.worker, cwd)) logger.info(line);
}

/** With --live-reload, an edited asset reloads the open pages too. */
function watchAssets(directory: string, notify: () => void): void {
  let timer: NodeJS.Timeout | undefined;
  fs.watch(directory, { recursive: true }, () => {
    clearTimeout(timer);
    timer = setTimeout(notify, CONFIG_RELOAD_DEBOUNCE_MS);
  });
}

