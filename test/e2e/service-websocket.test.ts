/**
 * A WebSocket answered through a service binding: a gateway Worker forwards the upgrade with
 * `env.CHAT.fetch(request)` to a second Worker of the same `hearth dev`, and a real `ws` client
 * talks to the second Worker through the gateway — messages and the close both ways. The same
 * path serves a Durable Object of another Worker (`script_name`).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { WebSocket } from "ws";
import { startDev, type DevServer } from "../helpers/dev-server.js";
import { writeFiles } from "../helpers/project.js";

const CHAT_WORKER = `
import { DurableObject } from "cloudflare:workers";

/** Close codes the chat Worker's sockets received from their clients. */
const closes = [];

function echo(prefix) {
  const { 0: client, 1: server } = new WebSocketPair();
  server.accept();
  server.addEventListener("close", (event) => closes.push(event.code + " " + event.reason));
  server.addEventListener("message", (event) => {
    if (event.data === "bye") return server.close(4001, prefix + " says bye");
    server.send(prefix + ": " + event.data);
  });
  return new Response(null, { status: 101, webSocket: client });
}

export class Room extends DurableObject {
  fetch() {
    return echo("room");
  }
}

export default {
  fetch(request, env) {
    if (new URL(request.url).pathname === "/closes") return Response.json(closes);
    if (request.headers.get("upgrade") !== "websocket") return new Response("chat wants a websocket", { status: 426 });
    return echo("chat");
  },
};
`;

const GATEWAY_WORKER = `
export default {
  fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/room") return env.ROOMS.get(env.ROOMS.idFromName("lobby")).fetch(request);
    return env.CHAT.fetch(request);
  },
};
`;

describe("WebSockets through service bindings", () => {
  let dir: string;
  let dev: DevServer;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-service-ws-"));
    writeFiles(dir, {
      "chat/wrangler.toml": `name = "chat"\nmain = "index.js"\ncompatibility_date = "2026-04-01"\n\n[[durable_objects.bindings]]\nname = "ROOMS"\nclass_name = "Room"\n\n[[migrations]]\ntag = "v1"\nnew_sqlite_classes = ["Room"]\n`,
      "chat/index.js": CHAT_WORKER,
      "gateway/wrangler.toml": `name = "gateway"\nmain = "index.js"\ncompatibility_date = "2026-04-01"\n\n[[services]]\nbinding = "CHAT"\nservice = "chat"\n\n[[durable_objects.bindings]]\nname = "ROOMS"\nclass_name = "Room"\nscript_name = "chat"\n`,
      "gateway/index.js": GATEWAY_WORKER,
    });
    dev = await startDev(dir, ["-c", "gateway/wrangler.toml", "-c", "chat/wrangler.toml"], { env: { HEARTH_REGISTRY_DIR: path.join(dir, "registry") } });
  });
  after(async () => {
    await dev?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function converse(pathname: string): Promise<{ replies: string[]; closed: [number, string] }> {
    const socket = new WebSocket(dev.url.replace("http:", "ws:") + pathname);
    await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
    const replies: string[] = [];
    const closed = new Promise<[number, string]>((resolve) => socket.once("close", (code, reason) => resolve([code, String(reason)])));
    socket.on("message", (data) => replies.push(String(data)));
    socket.send("one");
    socket.send("two");
    while (replies.length < 2) await new Promise((r) => setTimeout(r, 20));
    socket.send("bye");
    return { replies, closed: await closed };
  }

  test("a Worker's WebSocket reaches the client through the gateway's service binding", async () => {
    assert.deepEqual(await converse("/"), { replies: ["chat: one", "chat: two"], closed: [4001, "chat says bye"] });
    const plain = await dev.fetch("/");
    assert.deepEqual([plain.status, await plain.text()], [426, "chat wants a websocket"]);
  });

  test("a Durable Object of another Worker answers with a WebSocket through its stub", async () => {
    assert.deepEqual(await converse("/room"), { replies: ["room: one", "room: two"], closed: [4001, "room says bye"] });
  });

  test("the client closing reaches the target Worker", async () => {
    const socket = new WebSocket(dev.url.replace("http:", "ws:") + "/");
    await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
    const closed = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));
    socket.close(1000, "done");
    assert.equal(await closed, 1000);
    let closes: string[] = [];
    for (let tries = 0; tries < 50 && !closes.includes("1000 done"); tries++) {
      closes = (await (await dev.fetch("/closes")).json()) as string[];
      if (!closes.includes("1000 done")) await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(closes.includes("1000 done"), `the chat Worker saw ${JSON.stringify(closes)}`);
  });
});
