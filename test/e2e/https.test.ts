/**
 * `--local-protocol https`: the dev server serves TLS with a self-signed certificate for localhost
 * (made once, kept in $HEARTH_CERT_DIR), or with the files `--https-key-path/--https-cert-path`
 * name; requests see `https:` URLs and WebSockets work over wss.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { WebSocket } from "ws";
import { freePort, HEARTH_BIN } from "../helpers/dev-server.js";
import { makeProject, removeProject } from "../helpers/project.js";

const WORKER = `
export default {
  fetch(request) {
    if (request.headers.get("upgrade") === "websocket") {
      const { 0: client, 1: server } = new WebSocketPair();
      server.accept();
      server.addEventListener("message", (event) => server.send("secure " + event.data));
      return new Response(null, { status: 101, webSocket: client });
    }
    return Response.json({ url: request.url });
  },
};
`;

interface Started {
  child: ChildProcess;
  port: number;
  output: () => string;
}

async function startHttps(cwd: string, args: string[], env: Record<string, string>): Promise<Started> {
  const port = await freePort();
  const child = spawn(process.execPath, [HEARTH_BIN, "dev", "--port", String(port), "--ip", "127.0.0.1", ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const deadline = Date.now() + 20_000;
  while (!out.includes("Ready on")) {
    if (child.exitCode !== null) throw new Error(`hearth exited:\n${out}`);
    if (Date.now() > deadline) throw new Error(`hearth was not ready:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, port, output: () => out };
}

async function stop(started: Started | undefined): Promise<void> {
  if (!started || started.child.exitCode !== null) return;
  const exited = new Promise((resolve) => started.child.once("exit", resolve));
  started.child.kill("SIGTERM");
  await exited;
}

function get(port: number, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get({ host: "localhost", port, path: "/hello?x=1", ca }, (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode!, body }));
      })
      .once("error", reject);
  });
}

describe("--local-protocol https", () => {
  let dir: string;
  let certDir: string;
  let server: Started | undefined;
  before(async () => {
    dir = makeProject({ "wrangler.toml": `name = "tls"\nmain = "index.js"\ncompatibility_date = "2026-04-01"\n`, "index.js": WORKER });
    certDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-cert-"));
    server = await startHttps(dir, ["--local-protocol", "https"], { HEARTH_CERT_DIR: certDir });
  });
  after(async () => {
    await stop(server);
    removeProject(dir);
    fs.rmSync(certDir, { recursive: true, force: true });
  });

  test("serves HTTPS with a self-signed localhost certificate kept for next time, and the Worker sees https: URLs", async () => {
    assert.match(server!.output(), /Ready on https:\/\/127\.0\.0\.1:\d+/);
    const ca = fs.readFileSync(path.join(certDir, "cert.pem"), "utf8");
    assert.ok(fs.existsSync(path.join(certDir, "key.pem")));
    const answer = await get(server!.port, ca);
    assert.equal(answer.status, 200);
    assert.deepEqual(JSON.parse(answer.body), { url: `https://localhost:${server!.port}/hello?x=1` });
  });

  test("WebSockets work over wss", async () => {
    const ca = fs.readFileSync(path.join(certDir, "cert.pem"), "utf8");
    const socket = new WebSocket(`wss://localhost:${server!.port}/`, { ca });
    await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
    const reply = new Promise<string>((resolve) => socket.once("message", (data) => resolve(String(data))));
    socket.send("hi");
    assert.equal(await reply, "secure hi");
    socket.close();
  });

  test("--https-key-path and --https-cert-path serve the given files; one without the other is an error", async () => {
    const own = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-own-cert-"));
    fs.copyFileSync(path.join(certDir, "key.pem"), path.join(own, "k.pem"));
    fs.copyFileSync(path.join(certDir, "cert.pem"), path.join(own, "c.pem"));
    let second: Started | undefined;
    try {
      second = await startHttps(dir, ["--local-protocol", "https", "--https-key-path", path.join(own, "k.pem"), "--https-cert-path", path.join(own, "c.pem")], {
        HEARTH_CERT_DIR: path.join(own, "unused"),
      });
      assert.equal((await get(second.port, fs.readFileSync(path.join(own, "c.pem"), "utf8"))).status, 200);
      assert.equal(fs.existsSync(path.join(own, "unused")), false, "no certificate was generated");
    } finally {
      await stop(second);
    }
    await assert.rejects(startHttps(dir, ["--local-protocol", "https", "--https-key-path", path.join(own, "k.pem")], {}), /--https-cert-path is missing/);
    fs.rmSync(own, { recursive: true, force: true });
  });
});
