/**
 * `hearth kv …`: wrangler's KV data-plane commands, run against the local state — the very files a
 * `hearth dev` server reads (both go through createKvNamespace on `<state>/kv/<namespace id>/`).
 *
 *   kv namespace list
 *   kv key put <key> [value] [--path F] [--metadata JSON] [--ttl S] [--expiration EPOCH]
 *   kv key get <key> [--text]
 *   kv key delete <key>
 *   kv key list [--prefix P]
 *   kv bulk put <file.json>      [{key, value, expiration?, expiration_ttl?, metadata?, base64?}, …]
 *   kv bulk get <file.json>      ["key", {"name": "key"}, …]
 *   kv bulk delete <file.json>   ["key", {"name": "key"}, …]
 *
 * Each data command takes --binding B | --namespace-id ID, --preview, --local (the default and
 * only mode), --persist-to DIR, -c/--config, -e/--env. Output text follows wrangler's.
 */
import { Buffer } from "node:buffer";
import fs from "node:fs";
import path from "node:path";
import type { Argv } from "yargs";
import {
  createKvNamespace,
  disposeKvNamespace,
  kvNamespaceDir,
  kvNamespaceId,
  listLocalKvNamespaces,
  type KVNamespace,
  type KVNamespaceListResult,
  type KVNamespacePutOptions,
} from "../../bindings/kv/index.js";
import { readConfig as readConfigFromDisk, type LoadedConfig, type ReadConfigOptions } from "../../config/index.js";
import type { Clock } from "../../shared/clock.js";
import { HearthError } from "../../shared/errors.js";
import { commandStateRoot, localStateOptions, readCommandConfig, refuseRemote } from "../command-config.js";

/** Where the commands write; a test passes one that captures. */
export interface KvCommandOutput {
  /** Standard output: text, or raw bytes (`kv key get` without --text). */
  stdout(chunk: string | Uint8Array): void;
  /** Standard error: warnings. */
  stderr(text: string): void;
}

export interface KvCommandOptions {
  /** Default: the process's stdout and stderr. */
  output?: KvCommandOutput;
  /** Folder the config is searched from and --persist-to/--path are resolved against. Default: process.cwd(). */
  cwd?: string;
  /** Time source for --ttl / --expiration checks. Default: the system clock. */
  clock?: Clock;
  /** Config loader. Default: readConfig from src/config. */
  readConfig?: (options: ReadConfigOptions) => LoadedConfig;
}

/** The flags every data command shares. */
export interface KvTargetArgs {
  binding?: string;
  "namespace-id"?: string;
  preview?: boolean;
  local?: boolean;
  remote?: boolean;
  "persist-to"?: string;
  config?: string;
  env?: string;
}

const processOutput: KvCommandOutput = {
  stdout: (chunk) => void process.stdout.write(chunk),
  stderr: (text) => void process.stderr.write(text),
};

/** Adds `kv namespace|key|bulk …` to a yargs instance. */
export function registerKvCommands(cli: Argv, options: KvCommandOptions = {}): Argv {
  const ctx: Context = {
    out: options.output ?? processOutput,
    cwd: () => options.cwd ?? process.cwd(),
    readConfig: options.readConfig ?? readConfigFromDisk,
    ...(options.clock && { clock: options.clock }),
  };
  return cli.command("kv", "Manage Workers KV data in the local state", (kv) =>
    kv
      .command("namespace", "List the KV namespaces of the project", (y) =>
        y
          .command(
            "list",
            "List the namespaces in the config and those with data in the local state (JSON)",
            (c) => localStateOptions(c),
            (argv) => namespaceList(ctx, argv as KvTargetArgs),
          )
          .demandCommand(1, "Say which namespace command to run: list."),
      )
      .command("key", "Read and write single key-value pairs", (y) =>
        y
          .command(
            "put <key> [value]",
            "Write a single key-value pair",
            (c) =>
              targetOptions(c)
                .positional("key", { type: "string", describe: "The key to write to", demandOption: true })
                .positional("value", { type: "string", describe: "The value to write" })
                .option("path", { type: "string", requiresArg: true, describe: "Read the value from this file" })
                .option("metadata", { type: "string", requiresArg: true, describe: "Arbitrary JSON to store with the key" })
                .option("ttl", { type: "number", requiresArg: true, describe: "Seconds the entry stays visible (at least 60)" })
                .option("expiration", { type: "number", requiresArg: true, describe: "Seconds since the UNIX epoch after which the entry expires" }),
            (argv) => keyPut(ctx, argv as KeyPutArgs),
          )
          .command(
            "get <key>",
            "Read a single value (raw bytes, or UTF-8 text with --text)",
            (c) =>
              targetOptions(c)
                .positional("key", { type: "string", describe: "The key to read", demandOption: true })
                .option("text", { type: "boolean", default: false, describe: "Decode the value as UTF-8 text" }),
            (argv) => keyGet(ctx, argv as KeyArgs & { text?: boolean }),
          )
          .command(
            "delete <key>",
            "Remove a single key-value pair",
            (c) => targetOptions(c).positional("key", { type: "string", describe: "The key to delete", demandOption: true }),
            (argv) => keyDelete(ctx, argv as KeyArgs),
          )
          .command(
            "list",
            "List the keys of a namespace (JSON)",
            (c) => targetOptions(c).option("prefix", { type: "string", requiresArg: true, describe: "Only keys starting with this" }),
            (argv) => keyList(ctx, argv as KvTargetArgs & { prefix?: string }),
          )
          .demandCommand(1, "Say which key command to run: put, get, delete or list."),
      )
      .command("bulk", "Read and write many key-value pairs from a JSON file", (y) =>
        y
          .command(
            "put <filename>",
            "Write the key-value pairs listed in a JSON file",
            (c) => targetOptions(c).positional("filename", { type: "string", describe: "JSON array of {key, value, …}", demandOption: true }),
            (argv) => bulkPut(ctx, argv as FileArgs),
          )
          .command(
            "get <filename>",
            "Read the keys listed in a JSON file",
            (c) => targetOptions(c).positional("filename", { type: "string", describe: "JSON array of keys", demandOption: true }),
            (argv) => bulkGet(ctx, argv as FileArgs),
          )
          .command(
            "delete <filename>",
            "Delete the keys listed in a JSON file",
            (c) =>
              targetOptions(c)
                .positional("filename", { type: "string", describe: "JSON array of keys", demandOption: true })
                .option("force", { alias: "f", type: "boolean", describe: "Accepted for wrangler compatibility (local deletes never ask)" }),
            (argv) => bulkDelete(ctx, argv as FileArgs),
          )
          .demandCommand(1, "Say which bulk command to run: put, get or delete."),
      )
      .demandCommand(1, "Say which kv command to run: namespace, key or bulk."),
  );
}

// ---------------------------------------------------------------------------------------------

interface Context {
  out: KvCommandOutput;
  cwd: () => string;
  readConfig: (options: ReadConfigOptions) => LoadedConfig;
  clock?: Clock;
}

type KeyArgs = KvTargetArgs & { key: string };
type KeyPutArgs = KeyArgs & { value?: string; path?: string; metadata?: string; ttl?: number; expiration?: number };
type FileArgs = KvTargetArgs & { filename: string };

/** A namespace chosen by the flags, opened on the local state. */
interface Target {
  namespaceId: string;
  binding?: string;
  namespace: KVNamespace;
}

function targetOptions<T>(y: Argv<T>) {
  return localStateOptions(y)
    .option("binding", { type: "string", requiresArg: true, describe: "The binding name of the namespace (kv_namespaces[].binding)" })
    .option("namespace-id", { type: "string", requiresArg: true, describe: "The id of the namespace" })
    .option("preview", { type: "boolean", describe: "Use the binding's preview_id (--preview false: its id)" });
}

function loadConfig(ctx: Context, args: KvTargetArgs): LoadedConfig {
  refuseRemote(args, "kv");
  return readCommandConfig(ctx, args);
}

/**
 * Which namespace the flags name. `--namespace-id` is used as given. `--binding` looks the entry up
 * in the config: `--preview` takes its preview_id, `--preview false` its id, and without the flag
 * the id `hearth dev` uses (preview_id, else id, else the binding name). wrangler refuses the
 * last case when both ids exist; locally only one of them is ever used, so Hearth picks it.
 */
function chooseNamespace(loaded: LoadedConfig, args: KvTargetArgs): { namespaceId: string; binding?: string } {
  const where = loaded.path ? ` in ${loaded.path}${loaded.envName ? ` (environment "${loaded.envName}")` : ""}` : "";
  if (args.binding !== undefined && args["namespace-id"] !== undefined) {
    throw new HearthError("ERR_COMMAND", "Use either --binding or --namespace-id, not both.", { flag: "--namespace-id" });
  }
  if (args["namespace-id"] !== undefined) {
    if (args["namespace-id"] === "") throw new HearthError("ERR_COMMAND", "--namespace-id needs a non-empty id.", { flag: "--namespace-id" });
    return { namespaceId: args["namespace-id"] };
  }
  if (args.binding === undefined) {
    throw new HearthError("ERR_COMMAND", "Say which namespace to use: --binding NAME (from kv_namespaces) or --namespace-id ID.", {
      flag: "--binding",
    });
  }
  const binding = args.binding;
  const entries = loaded.config.kv_namespaces ?? [];
  if (!loaded.path) {
    throw new HearthError(
      "ERR_COMMAND",
      `--binding ${binding} was given, but no wrangler config file was found from ${loaded.dir}. Use --namespace-id, or -c to name the config.`,
      { binding, flag: "--binding" },
    );
  }
  const entry = entries.find((e) => e.binding === binding);
  if (entry === undefined) {
    const known = entries.map((e) => e.binding);
    throw new HearthError(
      "ERR_COMMAND",
      known.length === 0
        ? `No KV namespaces are configured${where}, so there is no binding "${binding}". Add a kv_namespaces entry or use --namespace-id.`
        : `No KV namespace with binding "${binding}"${where}. Known bindings: ${known.join(", ")}.`,
      { binding, file: loaded.path, key: "kv_namespaces", flag: "--binding" },
    );
  }
  if (args.preview === true) {
    if (!entry.preview_id) {
      throw new HearthError("ERR_COMMAND", `--preview was given, but the KV binding "${binding}"${where} has no preview_id.`, {
        binding,
        file: loaded.path,
        flag: "--preview",
      });
    }
    return { namespaceId: entry.preview_id, binding };
  }
  if (args.preview === false) {
    if (!entry.id) {
      throw new HearthError("ERR_COMMAND", `--preview false was given, but the KV binding "${binding}"${where} has no id.`, {
        binding,
        file: loaded.path,
        flag: "--preview",
      });
    }
    return { namespaceId: entry.id, binding };
  }
  return { namespaceId: kvNamespaceId(entry), binding };
}

/** Opens the chosen namespace, runs `fn`, and always closes the database again. */
async function withNamespace<T>(ctx: Context, args: KvTargetArgs, fn: (target: Target) => Promise<T>): Promise<T> {
  const loaded = loadConfig(ctx, args);
  const { namespaceId, binding } = chooseNamespace(loaded, args);
  const dir = kvNamespaceDir(commandStateRoot(ctx, loaded, args), namespaceId);
  const namespace = createKvNamespace(
    { kind: "kv", name: binding ?? namespaceId, namespaceId, dir },
    ctx.clock ? { clock: ctx.clock } : {},
  );
  try {
    return await fn({ namespaceId, namespace, ...(binding !== undefined && { binding }) });
  } finally {
    await disposeKvNamespace(namespace);
  }
}

/** Turns an error from the KV api (a TypeError or "KV PUT failed: …") into a command error. */
function commandError(what: string, target: Target, error: unknown): HearthError {
  return new HearthError("ERR_COMMAND", `${what}: ${(error as Error).message}`, target.binding ? { binding: target.binding } : {}, {
    cause: error,
  });
}

function printJson(ctx: Context, value: unknown): void {
  ctx.out.stdout(JSON.stringify(value, undefined, 2) + "\n");
}

// ---------------------------------------------------------------------------------------------
// kv namespace list

interface NamespaceRecord {
  id: string;
  title: string;
  binding?: string;
  path: string;
  has_data: boolean;
}

function namespaceList(ctx: Context, args: KvTargetArgs): void {
  const loaded = loadConfig(ctx, args);
  const root = commandStateRoot(ctx, loaded, args);
  const onDisk = new Set(listLocalKvNamespaces(root));
  const records = new Map<string, NamespaceRecord>();
  for (const entry of loaded.config.kv_namespaces ?? []) {
    const id = kvNamespaceId(entry);
    if (records.has(id)) continue;
    records.set(id, { id, title: entry.binding, binding: entry.binding, path: kvNamespaceDir(root, id), has_data: onDisk.has(id) });
  }
  for (const id of onDisk) {
    if (!records.has(id)) records.set(id, { id, title: id, path: kvNamespaceDir(root, id), has_data: true });
  }
  printJson(ctx, [...records.values()]);
}

// ---------------------------------------------------------------------------------------------
// kv key …

async function keyPut(ctx: Context, args: KeyPutArgs): Promise<void> {
  if (args.value === undefined && args.path === undefined) {
    throw new HearthError("ERR_COMMAND", `Give the value to write for "${args.key}", or --path FILE to read it from a file.`, {
      flag: "--path",
    });
  }
  if (args.value !== undefined && args.path !== undefined) {
    throw new HearthError("ERR_COMMAND", "Give either a value or --path, not both.", { flag: "--path" });
  }
  const metadata = args.metadata === undefined ? undefined : parseJsonFlag(args.metadata, "--metadata");
  const value = args.path !== undefined ? readInputFile(ctx, args.path, "--path") : String(args.value);
  const putOptions = putOptionsOf(args.expiration, args.ttl, metadata);
  await withNamespace(ctx, args, async (target) => {
    const metadataNote = metadata !== undefined ? ` with metadata "${JSON.stringify(metadata)}"` : "";
    ctx.out.stdout(
      args.path !== undefined
        ? `Writing the contents of ${args.path} to the key "${args.key}" on namespace ${target.namespaceId}${metadataNote}.\n`
        : `Writing the value "${value as string}" to key "${args.key}" on namespace ${target.namespaceId}${metadataNote}.\n`,
    );
    try {
      await target.namespace.put(args.key, value, putOptions);
    } catch (error) {
      throw commandError(`Could not write the key "${args.key}"`, target, error);
    }
  });
}

async function keyGet(ctx: Context, args: KeyArgs & { text?: boolean }): Promise<void> {
  await withNamespace(ctx, args, async (target) => {
    let value: ArrayBuffer | null;
    try {
      value = await target.namespace.get(args.key, "arrayBuffer");
    } catch (error) {
      throw commandError(`Could not read the key "${args.key}"`, target, error);
    }
    if (value === null) ctx.out.stdout("Value not found\n");
    else if (args.text) ctx.out.stdout(new TextDecoder().decode(value) + "\n");
    else ctx.out.stdout(new Uint8Array(value));
  });
}

async function keyDelete(ctx: Context, args: KeyArgs): Promise<void> {
  await withNamespace(ctx, args, async (target) => {
    ctx.out.stdout(`Deleting the key "${args.key}" on namespace ${target.namespaceId}.\n`);
    try {
      await target.namespace.delete(args.key);
    } catch (error) {
      throw commandError(`Could not delete the key "${args.key}"`, target, error);
    }
  });
}

async function keyList(ctx: Context, args: KvTargetArgs & { prefix?: string }): Promise<void> {
  await withNamespace(ctx, args, async (target) => {
    const keys: unknown[] = [];
    let cursor: string | null = null;
    try {
      for (;;) {
        const page: KVNamespaceListResult<unknown> = await target.namespace.list({ ...(args.prefix !== undefined && { prefix: args.prefix }), cursor });
        keys.push(...page.keys);
        if (page.list_complete) break;
        cursor = page.cursor;
      }
    } catch (error) {
      throw commandError("Could not list the keys", target, error);
    }
    printJson(ctx, keys);
  });
}

// ---------------------------------------------------------------------------------------------
// kv bulk …

interface BulkPutItem {
  key: string;
  value: string;
  expiration?: number;
  expiration_ttl?: number;
  metadata?: unknown;
  base64?: boolean;
}

const BULK_PUT_FIELDS = new Set(["key", "value", "expiration", "expiration_ttl", "metadata", "base64"]);
const BULK_GET_CHUNK_KEYS = 100;

async function bulkPut(ctx: Context, args: FileArgs): Promise<void> {
  const content = readJsonFile(ctx, args.filename);
  if (!Array.isArray(content)) {
    throw new HearthError(
      "ERR_COMMAND",
      `Unexpected JSON input from "${args.filename}".\nExpected an array of key-value objects but got type "${typeof content}".`,
      { file: args.filename },
    );
  }
  const errors: string[] = [];
  const warnings: string[] = [];
  content.forEach((item: unknown, index) => {
    if (!isBulkPutItem(item)) errors.push(`The item at index ${index} is ${JSON.stringify(item)}`);
    else {
      const extra = Object.keys(item).filter((k) => !BULK_PUT_FIELDS.has(k));
      if (extra.length > 0) warnings.push(`The item at index ${index} contains unexpected properties: ${JSON.stringify(extra)}.`);
    }
  });
  if (warnings.length > 0) ctx.out.stderr(`▲ [WARNING] Unexpected key-value properties in "${args.filename}".\n${warnings.join("\n")}\n`);
  if (errors.length > 0) {
    throw new HearthError(
      "ERR_COMMAND",
      `Unexpected JSON input from "${args.filename}".\n` +
        "Each item in the array should be an object that matches:\n\n" +
        "interface KeyValue {\n  key: string;\n  value: string;\n  expiration?: number;\n  expiration_ttl?: number;\n" +
        "  metadata?: object;\n  base64?: boolean;\n}\n\n" +
        errors.join("\n"),
      { file: args.filename },
    );
  }
  const items = content as BulkPutItem[];
  await withNamespace(ctx, args, async (target) => {
    for (const [index, item] of items.entries()) {
      const value = item.base64 ? Uint8Array.from(Buffer.from(item.value, "base64")) : item.value;
      try {
        await target.namespace.put(item.key, value, putOptionsOf(item.expiration, item.expiration_ttl, item.metadata));
      } catch (error) {
        const written = index === 0 ? "Nothing was written" : `The ${index} item(s) before it were written`;
        throw commandError(`Item ${index} (key "${item.key}") of "${args.filename}" could not be written. ${written}`, target, error);
      }
    }
  });
  ctx.out.stdout("Success!\n");
}

async function bulkGet(ctx: Context, args: FileArgs): Promise<void> {
  const keys = readKeyList(ctx, args.filename);
  await withNamespace(ctx, args, async (target) => {
    const out: Record<string, { value: string | null }> = {};
    try {
      for (let i = 0; i < keys.length; i += BULK_GET_CHUNK_KEYS) {
        const values = await target.namespace.get(keys.slice(i, i + BULK_GET_CHUNK_KEYS), "text");
        for (const [key, value] of values) out[key] = { value };
      }
    } catch (error) {
      throw commandError(`Could not read the keys listed in "${args.filename}"`, target, error);
    }
    printJson(ctx, out);
  });
  ctx.out.stdout("\nSuccess!\n");
}

async function bulkDelete(ctx: Context, args: FileArgs): Promise<void> {
  const keys = readKeyList(ctx, args.filename);
  await withNamespace(ctx, args, async (target) => {
    for (const key of keys) {
      try {
        await target.namespace.delete(key);
      } catch (error) {
        throw commandError(`Could not delete the key "${key}" listed in "${args.filename}"`, target, error);
      }
    }
  });
  ctx.out.stdout("Success!\n");
}

// ---------------------------------------------------------------------------------------------
// Input helpers

function isBulkPutItem(item: unknown): item is BulkPutItem {
  if (item === null || typeof item !== "object" || Array.isArray(item)) return false;
  const o = item as Record<string, unknown>;
  const optional = (name: string, type: string) => !(name in o) || o[name] === undefined || typeof o[name] === type;
  return (
    typeof o["key"] === "string" &&
    typeof o["value"] === "string" &&
    optional("expiration", "number") &&
    optional("expiration_ttl", "number") &&
    optional("base64", "boolean")
  );
}

/** A JSON array of keys: strings, or objects with a string `name` (wrangler) or `key`. */
function readKeyList(ctx: Context, filename: string): string[] {
  const content = readJsonFile(ctx, filename);
  if (!Array.isArray(content)) {
    throw new HearthError("ERR_COMMAND", `Unexpected JSON input from "${filename}".\nExpected an array of strings but got:\n${JSON.stringify(content)}`, {
      file: filename,
    });
  }
  const keys: string[] = [];
  const errors: string[] = [];
  content.forEach((item: unknown, index) => {
    const key =
      typeof item === "string"
        ? item
        : item !== null && typeof item === "object"
          ? ((item as { name?: unknown }).name ?? (item as { key?: unknown }).key)
          : undefined;
    if (typeof key === "string") keys.push(key);
    else errors.push(`The item at index ${index} is type: "${typeof item}" - ${JSON.stringify(item)}`);
  });
  if (errors.length > 0) {
    throw new HearthError(
      "ERR_COMMAND",
      `Unexpected JSON input from "${filename}".\nExpected an array of strings or objects with a "name" key.\n${errors.join("\n")}`,
      { file: filename },
    );
  }
  return keys;
}

function readInputFile(ctx: Context, file: string, flag: string): Uint8Array {
  try {
    const buffer = fs.readFileSync(resolveInput(ctx, file));
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (error) {
    throw new HearthError("ERR_COMMAND", `Could not read ${file}: ${(error as Error).message}`, { file, flag }, { cause: error });
  }
}

function readJsonFile(ctx: Context, file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(resolveInput(ctx, file), "utf8");
  } catch (error) {
    throw new HearthError("ERR_COMMAND", `Could not read ${file}: ${(error as Error).message}`, { file }, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HearthError("ERR_COMMAND", `${file} is not valid JSON: ${(error as Error).message}`, { file }, { cause: error });
  }
}

function resolveInput(ctx: Context, file: string): string {
  return path.resolve(ctx.cwd(), file);
}

function parseJsonFlag(text: string, flag: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HearthError("ERR_COMMAND", `${flag} must be JSON, but got ${text} (${(error as Error).message}).`, { flag }, { cause: error });
  }
}

function putOptionsOf(expiration: number | undefined, ttl: number | undefined, metadata: unknown): KVNamespacePutOptions {
  return {
    ...(expiration !== undefined && { expiration }),
    ...(ttl !== undefined && { expirationTtl: ttl }),
    ...(metadata !== undefined && { metadata }),
  };
}

