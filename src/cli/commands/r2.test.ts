import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { after, afterEach, describe, it } from "node:test";
import { closeR2Buckets, createR2Bucket, r2Descriptors, type R2ObjectBody } from "../../bindings/r2/index.js";
import { isHearthError } from "../../shared/errors.js";
import { resolveStateRoot } from "../../shared/paths.js";
import { bucketAndKey, registerR2Commands } from "./r2.js";
import { testCli } from "../../../test/helpers/cli.js";

const tempRoots: string[] = [];
after(() => {
  for (const dir of tempRoots) fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(() => closeR2Buckets());

const WRANGLER_TOML = `
name = "r2-cli-test"
compatibility_date = "2026-04-01"

[[r2_buckets]]
binding = "FILES"
bucket_name = "files-prod"
preview_bucket_name = "files-preview"
`;

function project(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-r2-cli-"));
  tempRoots.push(dir);
  fs.writeFileSync(path.join(dir, "wrangler.toml"), WRANGLER_TOML);
  return dir;
}

/** Runs `hearth <args>` in-process with only the r2 commands registered; returns what it printed. */
async function run(cwd: string, args: string[], stdin?: string | Uint8Array): Promise<{ stdout: string; bytes: Buffer; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const bytes: Buffer[] = [];
  const cli = testCli();
  registerR2Commands(cli, {
    cwd,
    stdin: () => Readable.from([Buffer.from(stdin ?? "")]),
    output: {
      stdout: (chunk) => {
        if (typeof chunk === "string") stdout += chunk;
        else bytes.push(Buffer.from(chunk));
      },
      stderr: (text) => void (stderr += text),
    },
  });
  await cli.parseAsync(args);
  return { stdout, bytes: Buffer.concat(bytes), stderr };
}

async function commandError(cwd: string, args: string[], pattern: RegExp): Promise<void> {
  await assert.rejects(run(cwd, args), (e: unknown) => {
    assert.ok(isHearthError(e), `expected a HearthError, got ${String(e)}`);
    assert.match(e.message, pattern);
    return true;
  });
}

describe("hearth r2 object", () => {
  it("splits {bucket}/{key} at the first slash", () => {
    assert.deepEqual(bucketAndKey("b/dir/key.txt"), { bucket: "b", key: "dir/key.txt" });
    assert.deepEqual(bucketAndKey("b/"), { bucket: "b", key: "" });
    assert.throws(() => bucketAndKey("no-slash"), /The object path must be in the form of \{bucket\}\/\{key\}/);
  });

  it("puts a file with HTTP metadata where hearth dev reads it, and gets it back", async () => {
    const dir = project();
    const data = Buffer.alloc(200_000, 7);
    fs.writeFileSync(path.join(dir, "photo.jpg"), data);
    const put = await run(dir, [
      "r2", "object", "put", "files-preview/photos/photo.jpg", "--file", "photo.jpg",
      "--ct", "image/jpeg", "--cache-control", "max-age=60", "--content-disposition", "inline",
      "--content-encoding", "identity", "--content-language", "en", "--expires", "1900000000000",
    ]);
    assert.equal(put.stdout, 'Creating object "photos/photo.jpg" in bucket "files-preview".\nUpload complete.\n');

    const [descriptor] = r2Descriptors([{ binding: "FILES", bucket_name: "files-prod", preview_bucket_name: "files-preview" }], resolveStateRoot(dir, undefined, dir));
    const bucket = createR2Bucket(descriptor!);
    const object = (await bucket.get("photos/photo.jpg")) as R2ObjectBody;
    assert.equal(object.etag, createHash("md5").update(data).digest("hex"));
    assert.deepEqual(object.httpMetadata, {
      contentType: "image/jpeg",
      contentLanguage: "en",
      contentDisposition: "inline",
      contentEncoding: "identity",
      cacheControl: "max-age=60",
      cacheExpiry: new Date(1_900_000_000_000),
    });
    await object.body.cancel();

    const piped = await run(dir, ["r2", "object", "get", "files-preview/photos/photo.jpg", "--pipe"]);
    assert.equal(piped.stdout, "");
    assert.deepEqual(piped.bytes, data);
    const saved = await run(dir, ["r2", "object", "get", "files-preview/photos/photo.jpg", "-f", "out/copy.jpg"]);
    assert.equal(saved.stdout, 'Downloading "photos/photo.jpg" from "files-preview".\nDownload complete.\n');
    assert.deepEqual(fs.readFileSync(path.join(dir, "out", "copy.jpg")), data);
  });

  it("reads --pipe from standard input, deletes, and honours --persist-to", async () => {
    const dir = project();
    await run(dir, ["r2", "object", "put", "notes/hello.txt", "--pipe", "--persist-to", "elsewhere"], "hello from stdin");
    assert.ok(fs.existsSync(path.join(dir, "elsewhere", "r2", "notes", "db.sqlite")));
    const got = await run(dir, ["r2", "object", "get", "notes/hello.txt", "-p", "--persist-to", "elsewhere"]);
    assert.equal(got.bytes.toString(), "hello from stdin");
    const deleted = await run(dir, ["r2", "object", "delete", "notes/hello.txt", "--persist-to", "elsewhere"]);
    assert.equal(deleted.stdout, 'Deleting object "hello.txt" from bucket "notes".\nDelete complete.\n');
    await commandError(dir, ["r2", "object", "get", "notes/hello.txt", "-p", "--persist-to", "elsewhere"], /^The specified key does not exist\.$/);
  });

  it("refuses what wrangler refuses", async () => {
    const dir = project();
    await commandError(dir, ["r2", "object", "put", "b/k"], /Either the --file or --pipe options are required\./);
    await commandError(dir, ["r2", "object", "put", "b/k", "-f", "missing.txt"], /Could not read missing\.txt/);
    await commandError(dir, ["r2", "object", "put", "b/k", "-p", "--expires", "soon"], /--expires must be a date/);
    await commandError(dir, ["r2", "object", "get", "never/k", "-p"], /The specified key does not exist\./);
    await commandError(dir, ["r2", "object", "delete", "b/k", "--remote"], /--remote is not supported/);
    assert.ok(!fs.existsSync(path.join(dir, ".hearth", "state", "r2", "never")), "reading does not create a bucket");
  });
});

describe("hearth r2 bucket", () => {
  it("creates, lists and deletes local buckets", async () => {
    const dir = project();
    const created = await run(dir, ["r2", "bucket", "create", "media"]);
    assert.equal(created.stdout, "Creating bucket 'media'...\n✅ Created bucket 'media' with default storage class of Standard.\n");
    await commandError(dir, ["r2", "bucket", "create", "media"], /already exists, and you own it\. \[code: 10004\]/);
    await commandError(dir, ["r2", "bucket", "create", "Bad_Name"], /The bucket name "Bad_Name" is invalid\./);
    const listed = await run(dir, ["r2", "bucket", "list"]);
    assert.match(listed.stdout, /^Listing buckets\.\.\.\nname: {11}files-preview\ncreation_date: {2}\(not created yet\)\nbindings: {7}FILES\n\nname: {11}media\ncreation_date: {2}\d{4}-/);

    await run(dir, ["r2", "object", "put", "media/a.txt", "-p"], "a");
    await commandError(dir, ["r2", "bucket", "delete", "media"], /The bucket you tried to delete is not empty\. \[code: 10008\]/);
    await run(dir, ["r2", "object", "delete", "media/a.txt"]);
    const deleted = await run(dir, ["r2", "bucket", "delete", "media"]);
    assert.equal(deleted.stdout, "Deleting bucket media.\nDeleted bucket media.\n");
    await commandError(dir, ["r2", "bucket", "delete", "media"], /The specified bucket does not exist\. \[code: 10006\]/);
  });
});
