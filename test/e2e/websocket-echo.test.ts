import assert from "node:assert/strict";
import { test } from "node:test";
import { WebSocket } from "ws";
import { startDev } from "../helpers/dev-server.js";
import { makeProject, removeProject } from "../helpers/project.js";

test("a WebSocket echo Worker (WebSocketPair + accept) serves a real ws client", async () => {
  const dir = makeProject({
    "wrangler.toml": `name = "echo"\nmain = "index.js"\ncompatibility_date = "2026-04-01"\n`,
    "index.js": `
      export default {
        fetch(request) {
          if (request.headers.get("upgrade") !== "websocket") return new Response("not a websocket", { status: 400 });
          const { 0: client, 1: server } = new WebSocketPair();
          // From compatibility date 2026-03-17 binary messages arrive as Blobs unless asked otherwise.
          server.binaryType = "arraybuffer";
          server.accept();
          server.addEventListener("message", (event) => {
            if (event.data === "bye") return server.close(4000, "asked to");
            server.send(typeof event.data === "string" ? "echo: " + event.data : event.data);
          });
          return new Response(null, { status: 101, webSocket: client });
        },
      };
    `,
  });
  const dev = await startDev(dir);
  try {
    const socket = new WebSocket(dev.url.replace("http:", "ws:") + "/");
    await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
    const replies: unknown[] = [];
    const closed = new Promise<[number, string]>((resolve) => socket.once("close", (code, reason) => resolve([code, String(reason)])));
    socket.on("message", (data, isBinary) => replies.push(isBinary ? [...(data as Buffer)] : String(data)));
    socket.send("hello");
    socket.send(Buffer.from([1, 2, 3]), { binary: true });
    await new Promise((r) => setTimeout(r, 300));
    socket.send("bye");
    assert.deepEqual(await closed, [4000, "asked to"]);
    assert.deepEqual(replies, ["echo: hello", [1, 2, 3]]);

    const refused = await dev.fetch("/");
    assert.equal(refused.status, 400);
  } finally {
    await dev.stop();
    removeProject(dir);
  }
});
