/**
 * A 1 GiB object goes into R2 and comes back out through a running `hearth dev`, streamed both
 * ways, while the server's memory (RSS summed over its process tree: the CLI process with its
 * isolate threads, and esbuild's service) stays far below the object's size. Both sides hash the
 * bytes: the client while sending and receiving, the server (the etag) while storing.
 */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import { test } from "node:test";
import { startDev } from "../helpers/dev-server.js";
import { makeProject, removeProject } from "../helpers/project.js";

const OBJECT_BYTES = 1024 ** 3;
const CHUNK_BYTES = 1024 * 1024;
const MAX_SERVER_RSS_BYTES = 250 * 1024 * 1024;
const RSS_SAMPLE_INTERVAL_MS = 50;

const WORKER = `
export default {
  async fetch(request, env) {
    if (request.method === "PUT") {
      const object = await env.BUCKET.put("big.bin", request.body);
      return Response.json({ etag: object.etag, size: object.size });
    }
    const object = await env.BUCKET.get("big.bin");
    if (object === null) return new Response("missing", { status: 404 });
    return new Response(object.body, { headers: { etag: object.httpEtag } });
  },
};
`;

/** Resident memory of `pid` and all its descendants, in bytes (Linux /proc). */
function treeRssBytes(pid: number): number {
  let total = 0;
  const pending = [pid];
  while (pending.length > 0) {
    const current = pending.pop()!;
    try {
      const status = fs.readFileSync(`/proc/${current}/status`, "utf8");
      total += Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
      for (const task of fs.readdirSync(`/proc/${current}/task`)) {
        const children = fs.readFileSync(`/proc/${current}/task/${task}/children`, "utf8").trim();
        if (children) pending.push(...children.split(/\s+/).map(Number));
      }
    } catch {
      // The process ended between two reads.
    }
  }
  return total;
}

/** The generated object, chunk by chunk: random bytes with the chunk's index stamped in. */
function chunkAt(base: Buffer, index: number): Buffer {
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  base.copy(chunk);
  chunk.writeUInt32BE(index, 0);
  return chunk;
}

function upload(url: string, base: Buffer): Promise<{ md5: string; response: { etag: string; size: number } }> {
  return new Promise((resolve, reject) => {
    const hash = createHash("md5");
    const request = http.request(url, { method: "PUT", headers: { "content-length": String(OBJECT_BYTES) } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => {
        try {
          assert.equal(res.statusCode, 200, text);
          resolve({ md5: hash.digest("hex"), response: JSON.parse(text) });
        } catch (error) {
          reject(error);
        }
      });
    });
    request.on("error", reject);
    let index = 0;
    const writeMore = () => {
      while (index < OBJECT_BYTES / CHUNK_BYTES) {
        const chunk = chunkAt(base, index++);
        hash.update(chunk);
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

function download(url: string): Promise<{ md5: string; bytes: number; etag: string | undefined }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        const hash = createHash("md5");
        let bytes = 0;
        res.on("data", (chunk: Buffer) => {
          hash.update(chunk);
          bytes += chunk.byteLength;
        });
        res.on("end", () => resolve({ md5: hash.digest("hex"), bytes, etag: res.headers.etag }));
        res.on("error", reject);
      })
      .on("error", reject);
  });
}

test("a 1 GiB object streams into R2 and back out while the server stays under 250 MB", { timeout: 300_000 }, async () => {
  const dir = makeProject({
    "wrangler.toml": `name = "r2-large"\nmain = "index.js"\ncompatibility_date = "2026-04-01"\n[[r2_buckets]]\nbinding = "BUCKET"\nbucket_name = "large"\n`,
    "index.js": WORKER,
  });
  const server = await startDev(dir, ["--persist-to", "state", "--log-level", "warn"]);
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, treeRssBytes(server.child.pid!))), RSS_SAMPLE_INTERVAL_MS);
  try {
    const sent = await upload(`${server.url}/big.bin`, randomBytes(CHUNK_BYTES));
    assert.equal(sent.response.size, OBJECT_BYTES);
    assert.equal(sent.response.etag, sent.md5, "the server's MD5 (the etag) matches the bytes sent");

    const received = await download(`${server.url}/big.bin`);
    assert.equal(received.bytes, OBJECT_BYTES);
    assert.equal(received.md5, sent.md5, "the bytes read back are the bytes sent");
    assert.equal(received.etag, `"${sent.md5}"`);
  } finally {
    clearInterval(sampler);
    peak = Math.max(peak, treeRssBytes(server.child.pid!));
    await server.stop();
    removeProject(dir);
  }
  assert.ok(peak > 0, "RSS was sampled");
  assert.ok(peak < MAX_SERVER_RSS_BYTES, `server RSS peaked at ${(peak / 1024 / 1024).toFixed(1)} MB`);
});
