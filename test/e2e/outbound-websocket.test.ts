/**
 * Outbound WebSockets from a Worker, end to end: a real `ws` client talks to Hearth, the Worker
 * relays to a real `ws` server the test runs — opened with fetch() + `Upgrade: websocket` and with
 * `new WebSocket(url)` — and close codes travel both ways.
 */
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { WebSocket, WebSocketServer } from "ws";
import { freePort, startDev, type DevServer } from "../helpers/dev-server.js";
import { makeProject, removeProject } from "../helpers/project.js";

interface Upstream {
  url: string;
  /** Close frames the upstream server received: [code, reason]. */
  closes: [number, string][];
  stop(): Promise<void>;
}

/**
 * The server the Worker connects to: greets with the X-Test header it got and the subprotocol,
 * echoes ("echo: " + text, binary as is), closes 4001 on "close-me". `/refuse` answers 403.
 */
async function startUpstream(): Promise<Upstream> {
  const closes: [number, string][] = [];
  const server = http.createServer((_req, res) => res.end("plain http"));
  const sockets = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => [...protocols][0] ?? false });
  server.on("upgrade", (req, socket, head) => {
    if (req.url === "/refuse") {
      socket.end("HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\ncontent-length: 4\r\nconnection: close\r\n\r\nnope");
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => {
      ws.send(`hello x-test=${req.headers["x-test"] ?? "-"} protocol=${ws.protocol || "-"}`);
      ws.on("message", (data, isBinary) => {
        if (!isBinary && String(data) === "close-me") return ws.close(4001, "upstream bye");
        ws.send(isBinary ? data : `echo: ${String(data)}`, { binary: isBinary });
      });
      ws.on("close", (code, reason) => closes.push([code, String(reason)]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    closes,
    async stop() {
      for (const client of sockets.clients) client.terminate();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const WORKER = `
  /** Relays between the client's socket (server end of a pair) and the upstream socket. */
  function relay(server, upstream) {
    upstream.addEventListener("message", (event) => server.send(event.data));
    upstream.addEventListener("close", (event) => server.close(event.code, event.reason));
    server.addEventListener("message", (event) => upstream.send(event.data));
    server.addEventListener("close", (event) => upstream.close(event.code, event.reason));
  }

  function answer(setUp) {
    const { 0: client, 1: server } = new WebSocketPair();
    server.binaryType = "arraybuffer";
    server.accept();
    setUp(server);
    return new Response(null, { status: 101, webSocket: client });
  }

  export default {
    async fetch(request) {
      const url = new URL(request.url);
      const target = url.searchParams.get("target");
      switch (url.pathname) {
        case "/via-fetch": {
          const res = await fetch(target, { headers: { Upgrade: "websocket", "X-Test": "via-fetch" } });
          if (res.status !== 101) return new Response("upstream answered " + res.status, { status: 502 });
          const upstream = res.webSocket;
          upstream.binaryType = "arraybuffer";
          upstream.accept();
          return answer((server) => {
            server.send(JSON.stringify({ instance: upstream instanceof WebSocket, status: res.status, readyState: upstream.readyState }));
            relay(server, upstream);
          });
        }
        case "/via-constructor": {
          const upstream = new WebSocket(target.replace(/^http/, "ws"), ["chat", "other"]);
          upstream.binaryType = "arraybuffer";
          const states = [upstream.readyState];
          const held = [];
          return answer((server) => {
            upstream.addEventListener("open", () => {
              states.push(upstream.readyState);
              server.send(JSON.stringify({ states, protocol: upstream.protocol, url: upstream.url, instance: upstream instanceof WebSocket }));
              for (const data of held.splice(0)) upstream.send(data);
            });
            upstream.addEventListener("message", (event) => server.send(event.data));
            upstream.addEventListener("close", (event) => server.close(event.code, event.reason));
            server.addEventListener("message", (event) => (upstream.readyState === WebSocket.OPEN ? upstream.send(event.data) : held.push(event.data)));
            server.addEventListener("close", (event) => upstream.close(event.code, event.reason));
          });
        }
        case "/pass-through":
          // The upstream's 101 response, handed back as it is: the client talks to the upstream.
          return fetch(new Request(target, request));
        case "/refused": {
          const res = await fetch(target + "/refuse", { headers: { Upgrade: "websocket" } });
          return Response.json({ status: res.status, webSocket: res.webSocket, body: await res.text() });
        }
        case "/constructor-errors": {
          const attempt = (fn) => { try { fn(); return "ok"; } catch (error) { return error.name + ": " + error.message; } };
          const failing = new WebSocket(url.searchParams.get("dead"));
          const events = [];
          const closed = new Promise((resolve) => {
            failing.addEventListener("error", (event) => events.push("error: " + event.message));
            failing.addEventListener("close", (event) => { events.push(["close", event.code, event.reason, event.wasClean]); resolve(); });
          });
          const acceptWhileConnecting = attempt(() => failing.accept());
          const sendWhileConnecting = attempt(() => failing.send("x"));
          await closed;
          const refused = new WebSocket(target.replace(/^http/, "ws") + "/refuse");
          const refusal = await new Promise((resolve) => refused.addEventListener("error", (event) => resolve(event.message)));
          const pair = new WebSocketPair();
          const [left, right] = Object.values(new WebSocketPair());
          left.accept();
          right.accept();
          const got = new Promise((resolve) => right.addEventListener("message", (event) => resolve(event.data)));
          left.send(new Uint8Array([104, 105]));
          const blob = await got;
          return Response.json({
            binaryMessage: [blob instanceof Blob, await blob.text()],
            events,
            acceptWhileConnecting,
            sendWhileConnecting,
            refusal,
            badScheme: attempt(() => new WebSocket("http://example.com/")),
            badUrl: attempt(() => new WebSocket("not a url")),
            fragment: attempt(() => new WebSocket("ws://example.com/#x")),
            emptyProtocols: attempt(() => new WebSocket("ws://example.com/", [])),
            repeated: attempt(() => new WebSocket("ws://example.com/", ["a", "a"])),
            badCode: attempt(() => { pair[0].accept(); pair[0].close(999); }),
            reasonWithoutCode: attempt(() => pair[0].close(undefined, "why")),
            defaultBinaryType: pair[1].binaryType,
          });
        }
      }
      return new Response("not found", { status: 404 });
    },
  };
`;

/** Opens a ws client to Hearth and collects what it receives. */
async function connect(dev: DevServer, path: string) {
  const socket = new WebSocket(dev.url.replace("http:", "ws:") + path);
  const received: unknown[] = [];
  const waiters: (() => void)[] = [];
  socket.on("message", (data, isBinary) => {
    received.push(isBinary ? [...(data as Buffer)] : String(data));
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<[number, string]>((resolve) => socket.once("close", (code, reason) => resolve([code, String(reason)])));
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  const nextCount = async (count: number) => {
    const deadline = Date.now() + 5000;
    while (received.length < count) {
      if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(received)}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
    return received.slice(0, count);
  };
  return { socket, received, closed, nextCount };
}

const until = async (check: () => boolean, what: string) => {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe("outbound WebSockets", () => {
  let dir: string;
  let dev: DevServer;
  let upstream: Upstream;
  const q = () => `?target=${encodeURIComponent(upstream.url)}`;

  before(async () => {
    upstream = await startUpstream();
    dir = makeProject({
      "wrangler.toml": `name = "outbound-ws"\nmain = "index.js"\ncompatibility_date = "2026-04-01"\n`,
      "index.js": WORKER,
    });
    dev = await startDev(dir);
  });
  after(async () => {
    await dev?.stop();
    removeProject(dir);
    await upstream?.stop();
  });

  test("fetch() with Upgrade: websocket relays an echo end to end; the upstream's close code reaches the client", async () => {
    const client = await connect(dev, "/via-fetch" + q());
    const [info, greeting] = (await client.nextCount(2)) as [string, string];
    assert.deepEqual(JSON.parse(info), { instance: true, status: 101, readyState: 1 });
    assert.equal(greeting, "hello x-test=via-fetch protocol=-");
    client.socket.send("ping");
    client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    assert.deepEqual((await client.nextCount(4)).slice(2), ["echo: ping", [1, 2, 3]]);
    client.socket.send("close-me");
    assert.deepEqual(await client.closed, [4001, "upstream bye"]);
  });

  test("fetch() upgrade: the client's close code reaches the upstream server", async () => {
    const client = await connect(dev, "/via-fetch" + q());
    await client.nextCount(2);
    const before = upstream.closes.length;
    client.socket.close(4002, "client bye");
    await client.closed;
    await until(() => upstream.closes.length > before, "the upstream close");
    assert.deepEqual(upstream.closes.at(-1), [4002, "client bye"]);
  });

  test("new WebSocket(url, protocols) connects at once, fires open, relays, and propagates closes both ways", async () => {
    const client = await connect(dev, "/via-constructor" + q());
    const [info, greeting] = (await client.nextCount(2)) as [string, string];
    assert.deepEqual(JSON.parse(info), {
      states: [0, 1],
      protocol: "chat",
      url: upstream.url.replace("http:", "ws:"),
      instance: true,
    });
    assert.equal(greeting, "hello x-test=- protocol=chat");
    client.socket.send("ping");
    client.socket.send(Buffer.from([7, 8]), { binary: true });
    assert.deepEqual((await client.nextCount(4)).slice(2), ["echo: ping", [7, 8]]);
    client.socket.send("close-me");
    assert.deepEqual(await client.closed, [4001, "upstream bye"]);

    const second = await connect(dev, "/via-constructor" + q());
    await second.nextCount(2);
    const before = upstream.closes.length;
    second.socket.close(4003, "done");
    await second.closed;
    await until(() => upstream.closes.length > before, "the upstream close");
    assert.deepEqual(upstream.closes.at(-1), [4003, "done"]);
  });

  test("a 101 response from fetch() can be returned as is (the client talks to the upstream)", async () => {
    const client = await connect(dev, "/pass-through" + q());
    assert.deepEqual(await client.nextCount(1), ["hello x-test=- protocol=-"]);
    client.socket.send("through");
    assert.deepEqual((await client.nextCount(2))[1], "echo: through");
    client.socket.send("close-me");
    assert.deepEqual(await client.closed, [4001, "upstream bye"]);
  });

  test("an upstream that does not switch protocols answers fetch() with an ordinary response", async () => {
    const res = await dev.fetch("/refused" + q());
    assert.deepEqual(await res.json(), { status: 403, webSocket: null, body: "nope" });
  });

  test("new WebSocket(): connection failures, argument checks and close() checks as in workerd", async () => {
    const dead = `ws://127.0.0.1:${await freePort()}/`;
    const res = await dev.fetch(`/constructor-errors${q()}&dead=${encodeURIComponent(dead)}`);
    assert.deepEqual(await res.json(), {
      events: ["error: Network connection lost.", ["close", 1006, "Failed to establish websocket connection", false]],
      acceptWhileConnecting: "TypeError: Websockets obtained from the 'new WebSocket()' constructor cannot call accept",
      sendWhileConnecting: "TypeError: You must call one of accept() or state.acceptWebSocket() on this WebSocket before sending messages.",
      refusal:
        "Failed to establish the WebSocket connection: expected server to reply with HTTP status code 101 (switching protocols), but received 403 instead.",
      badScheme: "SyntaxError: WebSocket Constructor: The url scheme must be ws or wss.",
      badUrl: "SyntaxError: WebSocket Constructor: The url is invalid.",
      fragment: "SyntaxError: WebSocket Constructor: The url fragment must be empty.",
      emptyProtocols: "SyntaxError: WebSocket Constructor: The protocols array cannot be empty.",
      repeated: "SyntaxError: WebSocket Constructor: The protocols header cannot have repeating values.",
      badCode: "TypeError: Invalid WebSocket close code: 999.",
      reasonWithoutCode: "TypeError: If you specify a WebSocket close reason, you must also specify a code.",
      defaultBinaryType: "blob",
      binaryMessage: [true, "hi"],
    });
  });
});
