/**
 * `hearth queues …`: inspect and empty the queues of the local state — the files a `hearth dev`
 * server produces to and consumes from (`<state>/queues/<queue>/db.sqlite`), read while it runs.
 *
 *   queues list                     every queue of the config and every queue with local data
 *   queues info <queue>             producers, consumer settings, backlog, in flight, dead-lettered
 *   queues purge <queue> [--force]  deletes every message (asks for the queue's name unless --force)
 *
 * Every command takes --local (the default and only mode), --persist-to DIR, -c/--config and
 * -e/--env (the config decides where the state lives).
 */
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline/promises";
import type { Argv } from "yargs";
import {
  listLocalQueues,
  openSqliteQueueStore,
  QUEUE_DB_FILE,
  queueConsumerPlans,
  queueDir,
  type QueueConsumerPlan,
  type QueueStats,
} from "../../bindings/queues/index.js";
import { readConfig as readConfigFromDisk, type LoadedConfig, type ReadConfigOptions } from "../../config/index.js";
import { HearthError } from "../../shared/errors.js";
import { commandStateRoot, readCommandConfig, localStateOptions, refuseRemote, type LocalStateArgs } from "../command-config.js";
import { textTable } from "../text-table.js";

/** Where the commands write; a test passes one that captures. */
export interface QueuesCommandOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface QueuesCommandOptions {
  /** Default: the process's stdout and stderr. */
  output?: QueuesCommandOutput;
  /** Asks the user to type something; resolves with the answer. Default: a prompt on a terminal, none otherwise. */
  ask?: (question: string) => Promise<string | null>;
  /** Folder the config is searched from and paths are resolved against. Default: process.cwd(). */
  cwd?: string;
  /** Config loader. Default: readConfig from src/config. */
  readConfig?: (options: ReadConfigOptions) => LoadedConfig;
}

type CommonArgs = LocalStateArgs;

type QueueArgs = CommonArgs & { name: string; force?: boolean };

interface Context {
  out: QueuesCommandOutput;
  ask: (question: string) => Promise<string | null>;
  cwd: () => string;
  readConfig: (options: ReadConfigOptions) => LoadedConfig;
}

const processOutput: QueuesCommandOutput = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

/** A prompt on an interactive terminal; null when there is none to ask. */
async function askOnTerminal(question: string): Promise<string | null> {
  if (!process.stdin.isTTY) return null;
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

/** Adds `queues list|info|purge` to a yargs instance. */
export function registerQueuesCommands(cli: Argv, options: QueuesCommandOptions = {}): Argv {
  const ctx: Context = {
    out: options.output ?? processOutput,
    ask: options.ask ?? askOnTerminal,
    cwd: () => options.cwd ?? process.cwd(),
    readConfig: options.readConfig ?? readConfigFromDisk,
  };
  return cli.command("queues", "Inspect and purge the queues in the local state", (q) =>
    q
      .command("list", "List the queues of the config and of the local state", (c) => localStateOptions(c), (argv) => queuesList(ctx, argv as CommonArgs))
      .command(
        "info <name>",
        "Show a queue's producers, consumer and messages",
        (c) => localStateOptions(c).positional("name", { type: "string", describe: "The name of the queue", demandOption: true }),
        (argv) => queuesInfo(ctx, argv as QueueArgs),
      )
      .command(
        "purge <name>",
        "Delete every message of a queue",
        (c) =>
          localStateOptions(c)
            .positional("name", { type: "string", describe: "The name of the queue", demandOption: true })
            .option("force", { type: "boolean", describe: "Do not ask for confirmation" }),
        (argv) => queuesPurge(ctx, argv as QueueArgs),
      )
      .demandCommand(1, "Say which queues command to run: list, info or purge."),
  );
}

/** What the config and the state say about the queues. */
interface QueueCatalog {
  root: string;
  /** Producer bindings by queue name. */
  producers: Map<string, string[]>;
  /** Consumer settings by queue name. */
  consumers: Map<string, QueueConsumerPlan>;
  workerName?: string;
  /** Every queue known: configured or with local data, sorted. */
  names: string[];
}

function catalog(ctx: Context, args: CommonArgs): QueueCatalog {
  refuseRemote(args, "queues");
  const loaded = readCommandConfig(ctx, args);
  const root = commandStateRoot(ctx, loaded, args);
  const producers = new Map<string, string[]>();
  for (const entry of loaded.config.queues?.producers ?? []) producers.set(entry.queue, [...(producers.get(entry.queue) ?? []), entry.binding]);
  const consumers = new Map(queueConsumerPlans(loaded.config.queues?.consumers ?? [], root, { file: loaded.path }).map((c) => [c.queue, c]));
  const names = [...new Set([...listLocalQueues(root), ...producers.keys(), ...consumers.keys()])].sort();
  return { root, producers, consumers, workerName: loaded.config.name, names };
}

/** The queue's counts, read without creating anything for a queue that has no data yet. */
async function statsOf(root: string, name: string): Promise<QueueStats | null> {
  const dir = queueDir(root, name);
  if (!fs.existsSync(path.join(dir, QUEUE_DB_FILE))) return null;
  const store = openSqliteQueueStore(dir);
  try {
    return await store.stats();
  } finally {
    await store.close();
  }
}

async function queuesList(ctx: Context, args: CommonArgs): Promise<void> {
  const { root, producers, consumers, names } = catalog(ctx, args);
  if (names.length === 0) {
    ctx.out.stdout("No queues: the config declares none and the local state has none.\n");
    return;
  }
  const rows: Record<string, string>[] = [];
  for (const name of names) {
    const stats = await statsOf(root, name);
    rows.push({
      name,
      producers: String(producers.get(name)?.length ?? 0),
      consumers: consumers.has(name) ? "1" : "0",
      backlog: String(stats?.waiting ?? 0),
      in_flight: String(stats?.inFlight ?? 0),
      dead_lettered: String(stats?.deadLettered ?? 0),
    });
  }
  ctx.out.stdout(textTable(rows));
}

async function queuesInfo(ctx: Context, args: QueueArgs): Promise<void> {
  const { root, producers, consumers, workerName, names } = catalog(ctx, args);
  if (!names.includes(args.name)) throw notFound(args.name);
  const stats = await statsOf(root, args.name);
  const worker = `worker:${workerName ?? "(unnamed)"}`;
  const bound = producers.get(args.name) ?? [];
  const consumer = consumers.get(args.name);
  const lines = [
    `Queue Name: ${args.name}`,
    `Local Data: ${stats ? path.relative(ctx.cwd(), queueDir(root, args.name)) || "." : "(none yet)"}`,
    `Number of Producers: ${bound.length}`,
    ...(bound.length > 0 ? [`Producers: ${bound.map((binding) => `${worker} (binding ${binding})`).join(", ")}`] : []),
    `Number of Consumers: ${consumer ? 1 : 0}`,
    ...(consumer ? [`Consumers: ${worker} (${consumerSettings(consumer)})`] : []),
    `Backlog: ${stats?.waiting ?? 0} message(s) waiting, ${stats?.delayed ?? 0} of them delayed (${stats?.backlogBytes ?? 0} bytes in all)`,
    `In Flight: ${stats?.inFlight ?? 0}`,
    `Dead-Lettered: ${stats?.deadLettered ?? 0}`,
    `Dropped: ${stats?.dropped ?? 0}`,
    ...(stats?.oldestMessageTimestampMs !== undefined ? [`Oldest Message: ${new Date(stats.oldestMessageTimestampMs).toISOString()}`] : []),
  ];
  ctx.out.stdout(lines.join("\n") + "\n");
}

function consumerSettings(c: QueueConsumerPlan): string {
  return [
    `max_batch_size ${c.maxBatchSize}`,
    `max_batch_timeout ${c.maxBatchTimeoutMs / 1000} s`,
    `max_retries ${c.maxRetries}`,
    `retry_delay ${c.retryDelaySeconds} s`,
    `max_concurrency ${c.maxConcurrency}`,
    ...(c.deadLetterQueue !== undefined ? [`dead_letter_queue ${c.deadLetterQueue}`] : []),
  ].join(", ");
}

async function queuesPurge(ctx: Context, args: QueueArgs): Promise<void> {
  const { root, names } = catalog(ctx, args);
  if (!names.includes(args.name)) throw notFound(args.name);
  if (!args.force) {
    const answer = await ctx.ask(`This operation will permanently delete all the messages in queue ${args.name}. Type ${args.name} to proceed. `);
    if (answer === null) {
      throw new HearthError("ERR_COMMAND", `Not purging queue "${args.name}": there is no terminal to confirm on. Pass --force to purge without confirmation.`, {
        flag: "--force",
      });
    }
    if (answer.trim() !== args.name) {
      ctx.out.stdout("Incorrect queue name provided. Skipping purge operation.\n");
      return;
    }
  }
  const dir = queueDir(root, args.name);
  let purged = 0;
  if (fs.existsSync(path.join(dir, QUEUE_DB_FILE))) {
    const store = openSqliteQueueStore(dir);
    try {
      purged = await store.purge();
    } finally {
      await store.close();
    }
  }
  ctx.out.stdout(`Purged queue '${args.name}': ${purged} message(s) deleted.\n`);
}

function notFound(name: string): HearthError {
  return new HearthError("ERR_COMMAND", `Queue "${name}" not found: the config does not declare it and the local state has no messages for it.`, { flag: "name" });
}
