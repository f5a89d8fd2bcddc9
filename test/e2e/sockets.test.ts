/**
 * `cloudflare:sockets`: a Worker under `hearth dev` opens TCP connections with `connect()` to real
 * servers the test starts — plain, TLS from the start, and STARTTLS — and streams through them.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import { after, before, describe, test } from "node:test";
import { startDev, type DevServer } from "../helpers/dev-server.js";
import { makeProject, removeProject } from "../helpers/project.js";
import { localCertificate } from "../../src/server/local-certificate.js";

const WORKER = `
import { connect } from "cloudflare:sockets";

async function talk(socket, lines) {
  const writer = socket.writable.getWriter();
  const encoder = new TextEncoder();
  for (const line of lines) await writer.write(encoder.encode(line + "\\n"));
  await writer.close();
  return new Response(socket.readable);
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const port = Number(url.searchParams.get("port"));
    try {
      switch (url.pathname) {
        case "/plain": {
          const socket = connect({ hostname: "127.0.0.1", port });
          const info = await socket.opened;
          const response = await talk(socket, ["one", "two"]);
          return new Response(await response.text() + "remote " + info.remoteAddress);
        }
        case "/tls":
          return talk(connect("localhost:" + port, { secureTransport: "on" }), ["secret"]);
        case "/starttls": {
          const plain = connect("localhost:" + port, { secureTransport: "starttls" });
          const writer = plain.writable.getWriter();
          await writer.write(new TextEncoder().encode("STARTTLS\\n"));
          writer.releaseLock();
          await new Promise((r) => setTimeout(r, 100));
          const secure = plain.startTls();
          return talk(secure, ["after upgrade"]);
        }
        case "/errors": {
          const outcomes = {};
          for (const [name, attempt] of Object.entries({
            badAddress: () => connect("no-port-here"),
            port25: () => connect("127.0.0.1:25"),
            startTlsWithoutOption: () => connect("127.0.0.1:" + port).startTls(),
          })) {
            try { attempt(); outcomes[name] = "ok"; } catch (e) { outcomes[name] = e.name + ": " + e.message; }
          }
          const refused = connect("127.0.0.1:1");
          outcomes.refused = await refused.opened.then(() => "opened", (e) => "rejected");
          return Response.json(outcomes);
        }
      }
    } catch (error) {
      return new Response(String(error), { status: 500 });
    }
    return new Response("not found", { status: 404 });
  },
};
`;

/** Echoes each line back upper-cased, with a "> " prefix. */
function echoLines(socket: net.Socket | tls.TLSSocket): void {
  let buffered = "";
  socket.on("data", (data) => {
    buffered += String(data);
    let newline: number;
    while ((newline = buffered.indexOf("\n")) >= 0) {
      socket.write("> " + buffered.slice(0, newline).toUpperCase() + "\n");
      buffered = buffered.slice(newline + 1);
    }
  });
  socket.on("end", () => socket.end());
  socket.on("error", () => {});
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)));
}

describe("cloudflare:sockets connect()", () => {
  let dir: string;
  let certDir: string;
  let dev: DevServer;
  const servers: net.Server[] = [];
  const ports = { plain: 0, tls: 0, starttls: 0 };

  before(async () => {
    certDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-sockets-cert-"));
    process.env.HEARTH_CERT_DIR = certDir;
    const { key, cert } = await localCertificate({ cwd: certDir });
    const plain = net.createServer(echoLines);
    const secure = tls.createServer({ key, cert }, echoLines);
    // STARTTLS: plain until the client says so, then TLS on the same connection.
    const starttls = net.createServer((socket) => {
      socket.once("data", () => {
        const upgraded = new tls.TLSSocket(socket, { isServer: true, key, cert });
        echoLines(upgraded);
      });
    });
    servers.push(plain, secure, starttls);
    ports.plain = await listen(plain);
    ports.tls = await listen(secure);
    ports.starttls = await listen(starttls);
    dir = makeProject({ "wrangler.toml": `name = "sockets"\nmain = "index.js"\ncompatibility_date = "2026-04-01"\n`, "index.js": WORKER });
    // The Worker verifies certificates as Workers do; the test's self-signed one is trusted through Node's extra CAs.
    dev = await startDev(dir, [], { env: { NODE_EXTRA_CA_CERTS: path.join(certDir, "cert.pem") } });
  });

  after(async () => {
    await dev?.stop();
    for (const server of servers) server.close();
    if (dir) removeProject(dir);
    fs.rmSync(certDir, { recursive: true, force: true });
  });

  test("streams over a plain TCP connection and reports the remote address", async () => {
    const response = await dev.fetch(`/plain?port=${ports.plain}`);
    assert.equal(await response.text(), "> ONE\n> TWO\nremote 127.0.0.1");
  });

  test("connects with TLS from the start (secureTransport: on)", async () => {
    assert.equal(await (await dev.fetch(`/tls?port=${ports.tls}`)).text(), "> SECRET\n");
  });

  test("upgrades a starttls socket with startTls()", async () => {
    assert.equal(await (await dev.fetch(`/starttls?port=${ports.starttls}`)).text(), "> AFTER UPGRADE\n");
  });

  test("refuses bad addresses, port 25 and startTls() without the option; a refused connection rejects opened", async () => {
    const outcomes = (await (await dev.fetch(`/errors?port=${ports.plain}`)).json()) as Record<string, string>;
    assert.deepEqual(outcomes, {
      badAddress: "TypeError: Specified address could not be parsed.",
      port25: "Error: Connections to port 25 are prohibited.",
      startTlsWithoutOption: 'TypeError: secureTransport must be set to "starttls" to call startTls().',
      refused: "rejected",
    });
  });
});
