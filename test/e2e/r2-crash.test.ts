/**
 * A `hearth dev` server is killed (SIGKILL) while two large uploads stream into R2: one replacing
 * an existing object, one creating a new key. After a restart the existing object is exactly its
 * previous version, the new key does not exist, the database is intact and the half-written files
 * are gone.
 */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import { startDev } from "../helpers/dev-server.js";
import { makeProject, removeProject } from "../helpers/project.js";

const UPLOAD_BYTES = 512 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;
/** Each upload must have this much in its temp file before the kill, so the kill lands mid-write. */
const WRITTEN_BEFORE_KILL_BYTES = 16 * 1024 * 1024;

const WORKER = `
export default {
  async fetch(request, env) {
    const key = new URL(request.url).searchParams.get("key");
    if (request.method === "PUT") {
      const object = await env.BUCKET.put(key, request.body);
      return Response.json({ etag: object.etag });
    }
    if (key === null) return Response.json((await env.BUCKET.list()).objects.map((o) => o.key));
    const object = await env.BUCKET.get(key);
    return object === null ? new Response("missing", { status: 404 }) : new Response(object.body, { headers: { etag: object.etag } });
  },
};
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Streams UPLOAD_BYTES to `url` until the connection dies; never resolves with a response. */
function endlessUpload(url: string): Promise<void> {
  return new Promise((resolve) => {
    const request = http.request(url, { method: "PUT", headers: { "content-length": String(UPLOAD_BYTES) } });
    request.on("error", () => resolve());
    request.on("response", () => resolve());
    const chunk = randomBytes(CHUNK_BYTES);
    let sent = 0;
    const writeMore = () => {
      while (sent < UPLOAD_BYTES) {
        sent += CHUNK_BYTES;
        if (!request.write(chunk)) {
          request.once("drain", writeMore);
          return;
        }
      }
      request.end();
    };
    writeMore();
  });
}

function tempFileSizes(blobsDir: string): number[] {
  try {
    return fs
      .readdirSync(blobsDir)
      .filter((name) => name.startsWith(".tmp-"))
      .map((name) => fs.statSync(path.join(blobsDir, name)).size);
  } catch {
    return [];
  }
}

test("a SIGKILL in the middle of uploads leaves no partial object and the previous version intact", { timeout: 120_000 }, async () => {
  const dir = makeProject({
    "wrangler.toml": `name = "r2-crash"\nmain = "index.js"\ncompatibility_date = "2026-04-01"\n[[r2_buckets]]\nbinding = "BUCKET"\nbucket_name = "crash"\n`,
    "index.js": WORKER,
  });
  const stateDir = path.join(dir, "state");
  const bucketDir = path.join(stateDir, "r2", "crash");
  const blobsDir = path.join(bucketDir, "blobs");
  try {
    const first = await startDev(dir, ["--persist-to", stateDir]);
    const previous = randomBytes(300_000);
    const stored = await first.fetch("/?key=doc", { method: "PUT", body: previous });
    assert.equal(stored.status, 200);
    const previousMd5 = createHash("md5").update(previous).digest("hex");
    assert.deepEqual(await stored.json(), { etag: previousMd5 });

    const uploads = [endlessUpload(`${first.url}/?key=doc`), endlessUpload(`${first.url}/?key=partial`)];
    const deadline = Date.now() + 60_000;
    for (;;) {
      const sizes = tempFileSizes(blobsDir);
      if (sizes.length === 2 && sizes.every((size) => size >= WRITTEN_BEFORE_KILL_BYTES)) break;
      assert.ok(Date.now() < deadline, `uploads did not reach the disk in time: ${JSON.stringify(sizes)}\n${first.output()}`);
      await sleep(20);
    }
    await first.stop("SIGKILL");
    await Promise.all(uploads);
    assert.equal(tempFileSizes(blobsDir).length, 2, "the kill left the half-written bodies behind");

    const db = new Database(path.join(bucketDir, "db.sqlite"));
    assert.equal(db.pragma("integrity_check", { simple: true }), "ok");
    db.close();

    const second = await startDev(dir, ["--persist-to", stateDir]);
    try {
      const doc = await second.fetch("/?key=doc");
      assert.equal(doc.status, 200);
      assert.equal(doc.headers.get("etag"), previousMd5);
      assert.equal(createHash("md5").update(Buffer.from(await doc.arrayBuffer())).digest("hex"), previousMd5, "the previous version is intact");
      assert.equal((await second.fetch("/?key=partial")).status, 404, "no partial object is visible");
      assert.deepEqual(await (await second.fetch("/")).json(), ["doc"]);
    } finally {
      await second.stop();
    }
    assert.deepEqual(tempFileSizes(blobsDir), [], "half-written bodies are removed on the next open");
    assert.equal(fs.readdirSync(blobsDir).length, 1, "only the previous version's file remains");
  } finally {
    removeProject(dir);
  }
});
