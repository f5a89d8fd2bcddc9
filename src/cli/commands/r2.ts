/**
 * `hearth r2 …`: wrangler's R2 commands, run against the local state — the very files a
 * `hearth dev` server reads (both open `<state>/r2/<bucket>/` through createR2Bucket).
 *
 *   r2 bucket list
 *   r2 bucket create <name>
 *   r2 bucket delete <name>
 *   r2 object put <bucket>/<key> (-f FILE | -p) [--content-type …] [--expires DATE] [-s CLASS]
 *   r2 object get <bucket>/<key> [-f FILE | -p]
 *   r2 object delete <bucket>/<key>
 *
 * Every command takes --local (the default and only mode), --persist-to DIR, -c/--config and
 * -e/--env (the config decides where the state lives). Object bodies are streamed, never read
 * whole. Output text follows wrangler's.
 */
import fs from "node:fs";
import path from "node:path";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Argv } from "yargs";
import {
  createR2Bucket,
  disposeR2Bucket,
  listLocalR2Buckets,
  r2BucketDir,
  r2BucketName,
  R2_DB_FILE,
  type R2Bucket,
  type R2ObjectBody,
} from "../../bindings/r2/index.js";
import { readConfig as readConfigFromDisk, type LoadedConfig, type ReadConfigOptions } from "../../config/index.js";
import { HearthError } from "../../shared/errors.js";
import { commandStateRoot, localStateOptions, readCommandConfig, refuseRemote, type LocalStateArgs } from "../command-config.js";

/** Where the commands write; a test passes one that captures. */
export interface R2CommandOutput {
  /** Standard output: text, or raw bytes (`r2 object get --pipe`); resolves when it may take more. */
  stdout(chunk: string | Uint8Array): void | Promise<void>;
  /** Standard error: warnings. */
  stderr(text: string): void;
}

export interface R2CommandOptions {
  /** Default: the process's stdout and stderr. */
  output?: R2CommandOutput;
  /** Standard input for `--pipe`. Default: process.stdin. */
  stdin?: () => NodeJS.ReadableStream;
  /** Folder the config is searched from and paths are resolved against. Default: process.cwd(). */
  cwd?: string;
  /** Config loader. Default: readConfig from src/config. */
  readConfig?: (options: ReadConfigOptions) => LoadedConfig;
}

interface CommonArgs extends LocalStateArgs {
  jurisdiction?: string;
}

type BucketArgs = CommonArgs & { name: string };
type ObjectArgs = CommonArgs & { objectPath: string; file?: string; pipe?: boolean };
type PutArgs = ObjectArgs & {
  "content-type"?: string;
  "content-disposition"?: string;
  "content-encoding"?: string;
  "content-language"?: string;
  "cache-control"?: string;
  expires?: string;
  "storage-class"?: string;
};

interface Context {
  out: R2CommandOutput;
  stdin: () => NodeJS.ReadableStream;
  cwd: () => string;
  readConfig: (options: ReadConfigOptions) => LoadedConfig;
}

const processOutput: R2CommandOutput = {
  stdout: (chunk) =>
    new Promise<void>((resolve, reject) => {
      process.stdout.write(chunk, (error) => (error ? reject(error) : resolve()));
    }),
  stderr: (text) => void process.stderr.write(text),
};

/** R2's rule for bucket names (wrangler checks it before creating one). */
const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/** Adds `r2 bucket|object …` to a yargs instance. */
export function registerR2Commands(cli: Argv, options: R2CommandOptions = {}): Argv {
  const ctx: Context = {
    out: options.output ?? processOutput,
    stdin: options.stdin ?? (() => process.stdin),
    cwd: () => options.cwd ?? process.cwd(),
    readConfig: options.readConfig ?? readConfigFromDisk,
  };
  return cli.command("r2", "Manage R2 buckets and objects in the local state", (r2) =>
    r2
      .command("bucket", "Manage local R2 buckets", (y) =>
        y
          .command("list", "List the buckets in the local state and in the config", (c) => commonOptions(c), (argv) => bucketList(ctx, argv as CommonArgs))
          .command(
            "create <name>",
            "Create a local R2 bucket",
            (c) => commonOptions(c).positional("name", { type: "string", describe: "The name of the new bucket", demandOption: true }),
            (argv) => bucketCreate(ctx, argv as BucketArgs),
          )
          .command(
            "delete <name>",
            "Delete an empty local R2 bucket",
            (c) => commonOptions(c).positional("name", { type: "string", describe: "The name of the bucket to delete", demandOption: true }),
            (argv) => bucketDelete(ctx, argv as BucketArgs),
          )
          .demandCommand(1, "Say which bucket command to run: list, create or delete."),
      )
      .command("object", "Manage objects in local R2 buckets", (y) =>
        y
          .command(
            "get <objectPath>",
            "Fetch an object from an R2 bucket",
            (c) =>
              objectOptions(c, "The source object path in the form of {bucket}/{key}")
                .option("file", { alias: "f", type: "string", requiresArg: true, conflicts: "pipe", describe: "The destination file to create" })
                .option("pipe", { alias: "p", type: "boolean", conflicts: "file", describe: "Write the object to standard output" }),
            (argv) => objectGet(ctx, argv as ObjectArgs),
          )
          .command(
            "put <objectPath>",
            "Create an object in an R2 bucket",
            (c) =>
              objectOptions(c, "The destination object path in the form of {bucket}/{key}")
                .option("file", { alias: "f", type: "string", requiresArg: true, conflicts: "pipe", describe: "The path of the file to upload" })
                .option("pipe", { alias: "p", type: "boolean", conflicts: "file", describe: "Read the object from standard input" })
                .option("content-type", { alias: "ct", type: "string", requiresArg: true, describe: "A standard MIME type describing the format of the object data" })
                .option("content-disposition", { alias: "cd", type: "string", requiresArg: true, describe: "Specifies presentational information for the object" })
                .option("content-encoding", { alias: "ce", type: "string", requiresArg: true, describe: "The content encodings applied to the object" })
                .option("content-language", { alias: "cl", type: "string", requiresArg: true, describe: "The language the content is in" })
                .option("cache-control", { alias: "cc", type: "string", requiresArg: true, describe: "Specifies caching behavior along the request/reply chain" })
                .option("expires", { type: "string", requiresArg: true, describe: "When the object is no longer cacheable (milliseconds since the epoch, or a date)" })
                .option("storage-class", { alias: "s", type: "string", describe: "The storage class of the object (Standard or InfrequentAccess)" }),
            (argv) => objectPut(ctx, argv as PutArgs),
          )
          .command(
            "delete <objectPath>",
            "Delete an object in an R2 bucket",
            (c) => objectOptions(c, "The object path in the form of {bucket}/{key}"),
            (argv) => objectDelete(ctx, argv as ObjectArgs),
          )
          .demandCommand(1, "Say which object command to run: get, put or delete."),
      )
      .demandCommand(1, "Say which r2 command to run: bucket or object."),
  );
}

function commonOptions<T>(y: Argv<T>) {
  return localStateOptions(y)
    .option("jurisdiction", { alias: "J", type: "string", requiresArg: true, describe: "Accepted for wrangler compatibility (local buckets have none)" });
}

function objectOptions<T>(y: Argv<T>, describe: string) {
  return commonOptions(y).positional("objectPath", { type: "string", describe, demandOption: true });
}

function loadConfig(ctx: Context, args: CommonArgs): LoadedConfig {
  refuseRemote(args, "r2");
  return readCommandConfig(ctx, args);
}

function stateRoot(ctx: Context, args: CommonArgs): string {
  return commandStateRoot(ctx, loadConfig(ctx, args), args);
}

/** wrangler's split of `{bucket}/{key}`: the bucket is everything before the first slash. */
export function bucketAndKey(objectPath: string): { bucket: string; key: string } {
  const match = /^([^/]+)\/(.*)$/s.exec(objectPath);
  if (match === null) throw new HearthError("ERR_COMMAND", "The object path must be in the form of {bucket}/{key}", { flag: "objectPath" });
  return { bucket: match[1]!, key: match[2]! };
}

function bucketExists(root: string, bucket: string): boolean {
  return fs.existsSync(path.join(r2BucketDir(root, bucket), R2_DB_FILE));
}

/** Opens the bucket, runs `fn`, and always closes the database again. */
async function withBucket<T>(root: string, bucket: string, fn: (b: R2Bucket) => Promise<T>): Promise<T> {
  const r2 = createR2Bucket({ kind: "r2", name: bucket, bucketName: bucket, dir: r2BucketDir(root, bucket) });
  try {
    return await fn(r2);
  } finally {
    await disposeR2Bucket(r2);
  }
}

/** Turns an error from the R2 api (a TypeError or "put: … (10037)") into a command error. */
function commandError(what: string, error: unknown): HearthError {
  return new HearthError("ERR_COMMAND", `${what}: ${(error as Error).message}`, {}, { cause: error });
}

// ---------------------------------------------------------------------------------------------
// r2 bucket …

function bucketList(ctx: Context, args: CommonArgs): void {
  const loaded = loadConfig(ctx, args);
  const root = commandStateRoot(ctx, loaded, args);
  const bindings = new Map<string, string[]>();
  for (const entry of loaded.config.r2_buckets ?? []) {
    const name = r2BucketName(entry);
    bindings.set(name, [...(bindings.get(name) ?? []), entry.binding]);
  }
  const names = [...new Set([...listLocalR2Buckets(root), ...bindings.keys()])].sort();
  ctx.out.stdout("Listing buckets...\n");
  for (const name of names) {
    const db = path.join(r2BucketDir(root, name), R2_DB_FILE);
    const created = fs.existsSync(db) ? creationDate(path.dirname(db)) : "(not created yet)";
    const bound = bindings.get(name);
    ctx.out.stdout(`name:           ${name}\ncreation_date:  ${created}\n${bound ? `bindings:       ${bound.join(", ")}\n` : ""}\n`);
  }
}

/** When a bucket folder was made (its birth time where the file system keeps one, else its mtime). */
function creationDate(dir: string): string {
  const stat = fs.statSync(dir);
  return new Date(stat.birthtimeMs > 0 ? stat.birthtimeMs : stat.mtimeMs).toISOString();
}

async function bucketCreate(ctx: Context, args: BucketArgs): Promise<void> {
  const root = stateRoot(ctx, args);
  if (!BUCKET_NAME.test(args.name)) {
    throw new HearthError(
      "ERR_COMMAND",
      `The bucket name "${args.name}" is invalid. Bucket names must begin and end with an alphanumeric character, only contain lowercase letters, numbers, and hyphens, and be between 3 and 63 characters long.`,
      { flag: "name" },
    );
  }
  if (bucketExists(root, args.name)) {
    throw new HearthError("ERR_COMMAND", "The bucket you tried to create already exists, and you own it. [code: 10004]", { flag: "name" });
  }
  ctx.out.stdout(`Creating bucket '${args.name}'...\n`);
  await withBucket(root, args.name, async () => undefined);
  ctx.out.stdout(`✅ Created bucket '${args.name}' with default storage class of Standard.\n`);
}

async function bucketDelete(ctx: Context, args: BucketArgs): Promise<void> {
  const root = stateRoot(ctx, args);
  const dir = r2BucketDir(root, args.name);
  if (!bucketExists(root, args.name)) {
    throw new HearthError("ERR_COMMAND", "The specified bucket does not exist. [code: 10006]", { flag: "name" });
  }
  ctx.out.stdout(`Deleting bucket ${args.name}.\n`);
  const empty = await withBucket(root, args.name, async (bucket) => (await bucket.list({ limit: 1 })).objects.length === 0);
  if (!empty) throw new HearthError("ERR_COMMAND", "The bucket you tried to delete is not empty. [code: 10008]", { flag: "name" });
  fs.rmSync(dir, { recursive: true, force: true });
  ctx.out.stdout(`Deleted bucket ${args.name}.\n`);
}

// ---------------------------------------------------------------------------------------------
// r2 object …

async function objectGet(ctx: Context, args: ObjectArgs): Promise<void> {
  const { bucket, key } = bucketAndKey(args.objectPath);
  const root = stateRoot(ctx, args);
  const file = args.pipe ? undefined : (args.file ?? key);
  if (!args.pipe) ctx.out.stdout(`Downloading "${key}" from "${bucket}".\n`);
  // Reading never creates a bucket: one without local data has no objects.
  if (!bucketExists(root, bucket)) throw new HearthError("ERR_COMMAND", "The specified key does not exist.", { flag: "objectPath" });
  await withBucket(root, bucket, async (r2) => {
    let object: R2ObjectBody | null;
    try {
      object = (await r2.get(key)) as R2ObjectBody | null;
    } catch (error) {
      throw commandError(`Could not read "${key}" from "${bucket}"`, error);
    }
    if (object === null) throw new HearthError("ERR_COMMAND", "The specified key does not exist.", { flag: "objectPath" });
    const body = Readable.fromWeb(object.body as import("node:stream/web").ReadableStream<Uint8Array>);
    if (file === undefined) {
      await pipeline(body, new Writable({ write: (chunk: Uint8Array, _encoding, done) => void Promise.resolve(ctx.out.stdout(chunk)).then(() => done(), done) }));
      return;
    }
    const target = path.resolve(ctx.cwd(), file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    await pipeline(body, fs.createWriteStream(target));
  });
  if (!args.pipe) ctx.out.stdout("Download complete.\n");
}

async function objectPut(ctx: Context, args: PutArgs): Promise<void> {
  const { bucket, key } = bucketAndKey(args.objectPath);
  if (!args.file && !args.pipe) throw new HearthError("ERR_COMMAND", "Either the --file or --pipe options are required.", { flag: "--file" });
  const root = stateRoot(ctx, args);
  const httpMetadata = {
    ...(args["content-type"] !== undefined && { contentType: args["content-type"] }),
    ...(args["content-disposition"] !== undefined && { contentDisposition: args["content-disposition"] }),
    ...(args["content-encoding"] !== undefined && { contentEncoding: args["content-encoding"] }),
    ...(args["content-language"] !== undefined && { contentLanguage: args["content-language"] }),
    ...(args["cache-control"] !== undefined && { cacheControl: args["cache-control"] }),
    ...(args.expires !== undefined && { cacheExpiry: parseExpires(args.expires) }),
  };
  let input: NodeJS.ReadableStream;
  if (args.file) {
    const source = path.resolve(ctx.cwd(), args.file);
    try {
      if (!fs.statSync(source).isFile()) throw new Error("not a file");
    } catch (error) {
      throw new HearthError("ERR_COMMAND", `Could not read ${args.file}: ${(error as Error).message}`, { file: args.file, flag: "--file" }, { cause: error });
    }
    input = fs.createReadStream(source);
  } else {
    input = ctx.stdin();
  }
  const storageClass = args["storage-class"];
  ctx.out.stdout(`Creating object "${key}"${storageClass ? ` with ${storageClass} storage class` : ""} in bucket "${bucket}".\n`);
  await withBucket(root, bucket, async (r2) => {
    try {
      await r2.put(key, Readable.toWeb(input instanceof Readable ? input : Readable.from(input)), { httpMetadata, ...(storageClass && { storageClass }) });
    } catch (error) {
      throw commandError(`Could not write "${key}" to "${bucket}"`, error);
    }
  });
  ctx.out.stdout("Upload complete.\n");
}

async function objectDelete(ctx: Context, args: ObjectArgs): Promise<void> {
  const { bucket, key } = bucketAndKey(args.objectPath);
  const root = stateRoot(ctx, args);
  ctx.out.stdout(`Deleting object "${key}" from bucket "${bucket}".\n`);
  if (bucketExists(root, bucket)) {
    await withBucket(root, bucket, async (r2) => {
      try {
        await r2.delete(key);
      } catch (error) {
        throw commandError(`Could not delete "${key}" from "${bucket}"`, error);
      }
    });
  }
  ctx.out.stdout("Delete complete.\n");
}

/** `--expires`: milliseconds since the epoch (wrangler's reading), or any date `Date` parses. */
function parseExpires(text: string): Date {
  const ms = /^\d+$/.test(text.trim()) ? Number(text) : Date.parse(text);
  if (Number.isNaN(ms)) {
    throw new HearthError("ERR_COMMAND", `--expires must be a date or milliseconds since the epoch, but got ${JSON.stringify(text)}.`, { flag: "--expires" });
  }
  return new Date(ms);
}
