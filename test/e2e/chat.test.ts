import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { WebSocket } from "ws";
import { startDev } from "../helpers/dev-server.js";

const CHAT_EXAMPLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../examples/chat");

/** A ws client that collects what it receives, with a way to wait for a matching message. */
function client(url: string) {
  const socket = new WebSocket(url);
  const received: { type: string; [key: string]: unknown }[] = [];
  const waiters: (() => void)[] = [];
  socket.on("message", (data) => {
    const text = String(data);
    received.push(text.startsWith("{") ? JSON.parse(text) : { type: "text", text });
    for (const wake of waiters.splice(0)) wake();
  });
  return {
    socket,
    received,
    opened: new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject)),
    async next(match: (m: (typeof received)[number]) => boolean, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no matching message; got ${JSON.stringify(received)}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
  };
}

test("examples/chat: two real WebSocket clients talk through a Durable Object (hibernation API)", async () => {
  const state = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-chat-"));
  const dev = await startDev(CHAT_EXAMPLE, ["--persist-to", state]);
  try {
    const base = dev.url.replace("http:", "ws:") + "/rooms/lobby/socket";
    const ada = client(`${base}?name=ada`);
    await ada.opened;
    await ada.next((m) => m.type === "history");
    const bob = client(`${base}?name=bob`);
    await bob.opened;
    await ada.next((m) => m.type === "joined" && m.name === "bob");

    ada.socket.send("hello bob");
    assert.deepEqual(await bob.next((m) => m.type === "message"), { type: "message", name: "ada", text: "hello bob" });
    bob.socket.send(Buffer.from("hi ada"), { binary: true });
    assert.deepEqual(await ada.next((m) => m.type === "message" && m.name === "bob"), { type: "message", name: "bob", text: "hi ada" });

    // The auto-response answers without the object.
    bob.socket.send("ping");
    assert.deepEqual(await bob.next((m) => m.type === "text"), { type: "text", text: "pong" });

    bob.socket.close(1000, "leaving");
    assert.equal((await ada.next((m) => m.type === "left")).name, "bob");

    // History is in the object's SQLite storage: a new client sees it.
    const cy = client(`${base}?name=cy`);
    await cy.opened;
    const history = (await cy.next((m) => m.type === "history")) as unknown as { messages: { name: string; text: string }[] };
    assert.deepEqual(history.messages, [
      { name: "ada", text: "hello bob" },
      { name: "bob", text: "hi ada" },
    ]);
    ada.socket.close();
    cy.socket.close();

    const plain = await dev.fetch("/rooms/lobby/socket");
    assert.equal(plain.status, 426);
  } finally {
    await dev.stop();
    fs.rmSync(state, { recursive: true, force: true });
  }
});
