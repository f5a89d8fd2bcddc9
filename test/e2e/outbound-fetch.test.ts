/**
 * Outbound fetch() from a Worker against a real local HTTP server: redirect modes, Set-Cookie,
 * body reuse, cf, refused schemes, network errors and the subrequest limit, with workerd's
 * wording for every error.
 */
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { startDev, freePort, type DevServer } from "../helpers/dev-server.js";
import { makeProject, removeProject } from "../helpers/project.js";

const INVALID_REDIRECT =
  'TypeError: Invalid redirect value, must be one of "follow" or "manual" ("error" won\'t be implemented since it does not make sense at the edge; use "manual" and check the response status code).';
const BODY_USED = "TypeError: Body has already been used. It can only be used once. Use tee() first if you need to read it twice.";
const REQUEST_BODY_USED = "TypeError: Cannot reconstruct a Request with a used body.";
const ONE_TIME_USE_BODY =
  "TypeError: A request with a one-time-use body (it was initialized from a stream, not a buffer) encountered a redirect requiring the body to be retransmitted. To avoid this error in the future, construct this request from a buffer-like body initializer.";
const TOO_MANY_SUBREQUESTS =
  "Error: Too many subrequests by single Worker invocation. To configure this limit, refer to https://developers.cloudflare.com/workers/wrangler/configuration/#limits";

/** The origin the Worker fetches from. */
function startOrigin(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString();
      const url = new URL(req.url!, "http://origin");
      switch (url.pathname) {
        case "/r":
          res.writeHead(302, { location: "/t", "set-cookie": ["a=1", "b=2"] });
          return res.end("moved");
        case "/307":
          res.writeHead(307, { location: "/t" });
          return res.end();
        case "/303":
          res.writeHead(303, { location: "/t" });
          return res.end();
        case "/loop":
          res.writeHead(302, { location: "/loop" });
          return res.end();
        case "/bad-location":
          res.writeHead(302, { location: "http://[::1" });
          return res.end();
        case "/cookies":
          res.writeHead(200, [["set-cookie", "x=1; Path=/"], ["set-cookie", "y=2; HttpOnly"], ["content-type", "text/plain"]]);
          return res.end("two cookies");
        case "/cross-origin":
          // 127.0.0.1 and localhost are different origins.
          res.writeHead(307, { location: `http://localhost:${(server.address() as AddressInfo).port}/host` });
          return res.end();
        case "/host":
          return res.end(`${req.headers.host} ${req.headers.authorization ?? "-"}`);
        case "/slow":
          return setTimeout(() => res.end("slow"), 150);
        default:
          res.writeHead(200, { "content-type": "text/plain" });
          return res.end(`target ${req.method} ${body}`);
      }
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

const WORKER = `
  const show = (error) => error.name + ": " + error.message;
  async function attempt(fn) {
    try { return await fn(); } catch (error) { return show(error); }
  }
  export default {
    async fetch(request) {
      const url = new URL(request.url);
      const origin = url.searchParams.get("origin");
      switch (url.pathname) {
        case "/follow": {
          const res = await fetch(origin + "/r");
          return Response.json({ status: res.status, url: res.url, redirected: res.redirected, body: await res.text() });
        }
        case "/manual": {
          const res = await fetch(origin + "/r", { redirect: "manual" });
          return Response.json({ status: res.status, location: res.headers.get("location"), cookies: res.headers.getSetCookie(), redirected: res.redirected });
        }
        case "/redirect-error":
          return Response.json({
            request: await attempt(() => new Request(origin, { redirect: "error" })),
            fetch: await attempt(() => fetch(origin + "/r", { redirect: "error" })),
            upperCase: new Request(origin, { redirect: "MANUAL" }).redirect,
            incoming: request.redirect,
          });
        case "/methods": {
          const text = async (p) => (await p).text();
          const stream = () => new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("streamed")); c.close(); } });
          return Response.json({
            post307: await text(fetch(origin + "/307", { method: "POST", body: "payload" })),
            request307: await text(fetch(new Request(origin + "/307", { method: "PUT", body: "again" }))),
            stream307: await attempt(() => fetch(origin + "/307", { method: "POST", body: stream() })),
            stream303: await text(fetch(origin + "/303", { method: "POST", body: stream() })),
            post302: await text(fetch(origin + "/r", { method: "POST", body: "dropped" })),
            badLocation: await attempt(() => fetch(origin + "/bad-location")),
          });
        }
        case "/loop":
          return new Response(await attempt(() => fetch(origin + "/loop")));
        case "/cookies": {
          const res = await fetch(origin + "/cookies");
          return Response.json({ cookies: res.headers.getSetCookie(), joined: res.headers.get("set-cookie") });
        }
        case "/reuse": {
          const res = await fetch(origin + "/t");
          await res.text();
          const posted = new Request(origin + "/t", { method: "POST", body: "once" });
          const first = await (await fetch(posted)).text();
          const local = new Response("local");
          await local.arrayBuffer();
          return Response.json({
            readTwice: await attempt(() => res.text()),
            jsonTwice: await attempt(() => res.json()),
            bytesTwice: await attempt(() => local.bytes()),
            first,
            fetchAgain: await attempt(() => fetch(posted)),
            copy: await attempt(() => new Request(posted)),
            copyWithBody: (await fetch(new Request(posted, { body: "new body" }))).status,
            bytes: [...(await new Response("ab").bytes())],
          });
        }
        case "/return-used": {
          const res = await fetch(origin + "/t");
          await res.text();
          return res;
        }
        case "/cf": {
          const res = await fetch(origin + "/t", { cf: { cacheTtl: 60, cacheEverything: true, image: { width: 10 } } });
          const made = new Request(origin, { cf: { cacheKey: "k" } });
          return Response.json({
            status: res.status,
            made: made.cf,
            copied: new Request(made).cf,
            incomingColo: new Request(request).cf.colo,
            plain: new Request(origin).cf ?? null,
          });
        }
        case "/schemes":
          return Response.json({
            ws: await attempt(() => fetch("ws://127.0.0.1:1/socket")),
            ftp: await attempt(() => fetch("ftp://example.com/file")),
            data: await (await fetch("data:text/plain,hello")).text(),
          });
        case "/unreachable":
          return new Response(await attempt(() => fetch(url.searchParams.get("to"))));
        case "/host": {
          const res = await fetch(origin + (url.searchParams.get("path") ?? "/host"), { headers: { host: "evil.example", authorization: "Bearer x" } });
          return new Response(await res.text());
        }
        case "/proxy":
          // The incoming request (its method, headers and streamed body) sent on to the origin.
          return fetch(origin + "/t", request);
        case "/count": {
          const n = Number(url.searchParams.get("n"));
          const results = [];
          for (let i = 0; i < n; i++) results.push(await attempt(async () => (await fetch(origin + (url.searchParams.get("path") ?? "/t"))).status));
          return Response.json(results);
        }
      }
      return new Response("not found", { status: 404 });
    },
  };
`;

describe("outbound fetch", () => {
  let dir: string;
  let dev: DevServer;
  let origin: http.Server;
  let base: string;
  const get = async (path: string) => {
    const sep = path.includes("?") ? "&" : "?";
    return dev.fetch(`${path}${sep}origin=${encodeURIComponent(base)}`);
  };
  const json = async (path: string) => (await get(path)).json() as Promise<Record<string, unknown>>;

  before(async () => {
    origin = await startOrigin();
    base = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
    dir = makeProject({
      "wrangler.toml": `name = "outbound"\nmain = "index.js"\ncompatibility_date = "2026-04-01"\n\n[limits]\nsubrequests = 25\n`,
      "index.js": WORKER,
    });
    dev = await startDev(dir);
  });
  after(async () => {
    await dev?.stop();
    removeProject(dir);
    origin?.close();
  });

  test('redirect "follow" (the default) follows to the target', async () => {
    assert.deepEqual(await json("/follow"), { status: 200, url: `${base}/t`, redirected: true, body: "target GET " });
  });

  test('redirect "manual" returns the 3xx with its Location and cookies', async () => {
    assert.deepEqual(await json("/manual"), { status: 302, location: "/t", cookies: ["a=1", "b=2"], redirected: false });
  });

  test('redirect "error" throws workerd\'s TypeError; modes are case-insensitive; incoming requests are "manual"', async () => {
    assert.deepEqual(await json("/redirect-error"), { request: INVALID_REDIRECT, fetch: INVALID_REDIRECT, upperCase: "manual", incoming: "manual" });
  });

  test("redirected methods and bodies follow the Fetch standard, with workerd's errors", async () => {
    assert.deepEqual(await json("/methods"), {
      post307: "target POST payload",
      request307: "target PUT again",
      stream307: ONE_TIME_USE_BODY,
      stream303: "target GET ",
      post302: "target GET ",
      badLocation: "TypeError: Invalid Location header; unable to follow redirect.",
    });
  });

  test("more than 20 redirects throw workerd's TypeError", async () => {
    assert.equal(await (await get("/loop")).text(), "TypeError: Too many redirects.");
  });

  test("headers.getSetCookie() returns each Set-Cookie of a response", async () => {
    assert.deepEqual(await json("/cookies"), { cookies: ["x=1; Path=/", "y=2; HttpOnly"], joined: "x=1; Path=/, y=2; HttpOnly" });
  });

  test("reading or sending a body twice throws workerd's TypeError", async () => {
    assert.deepEqual(await json("/reuse"), {
      readTwice: BODY_USED,
      jsonTwice: BODY_USED,
      bytesTwice: BODY_USED,
      first: "target POST once",
      fetchAgain: REQUEST_BODY_USED,
      copy: REQUEST_BODY_USED,
      copyWithBody: 200,
      bytes: [97, 98],
    });
  });

  test("returning a response whose body was read fails the request with the same error", async () => {
    const res = await get("/return-used");
    assert.equal(res.status, 500);
    assert.match(await res.text(), /Body has already been used/);
  });

  test("cf options are accepted and ignored; request.cf is kept by new Request()", async () => {
    assert.deepEqual(await json("/cf"), { status: 200, made: { cacheKey: "k" }, copied: { cacheKey: "k" }, incomingColo: "DFW", plain: null });
  });

  test("only http(s) and data: URLs are fetched", async () => {
    assert.deepEqual(await json("/schemes"), {
      ws: "TypeError: Fetch API cannot load: ws://127.0.0.1:1/socket",
      ftp: "TypeError: Fetch API cannot load: ftp://example.com/file",
      data: "hello",
    });
  });

  test("a refused connection rejects with workerd's network error", async () => {
    const port = await freePort();
    const res = await dev.fetch(`/unreachable?to=${encodeURIComponent(`http://127.0.0.1:${port}/`)}`);
    assert.equal(await res.text(), "Error: Network connection lost.");
  });

  test("fetch(url, incomingRequest) passes the method and a streamed body on", async () => {
    const body = "x".repeat(100_000);
    const res = await dev.fetch(`/proxy?origin=${encodeURIComponent(base)}`, { method: "POST", body });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), `target POST ${body}`);
  });

  test("the Host header follows the URL; Authorization is sent to the same origin", async () => {
    const res = await get("/host");
    assert.equal(await res.text(), `${new URL(base).host} Bearer x`);
    const redirected = await get("/host?path=/cross-origin");
    assert.equal(await redirected.text(), `localhost:${new URL(base).port} -`, "a redirect to another origin drops Authorization");
  });

  const within = (n: number, limit = 25) => Array.from({ length: n }, (_, i) => (i < limit ? 200 : TOO_MANY_SUBREQUESTS));

  test("the subrequest limit (limits.subrequests = 25) throws Cloudflare's error, per invocation", async () => {
    assert.deepEqual(await json("/count?n=27"), within(27));
    // A new invocation starts from zero again.
    assert.deepEqual(await json("/count?n=1"), [200]);
    // Each redirect hop is a subrequest: 12 followed redirects use 24, the 13th fails on its second hop.
    assert.deepEqual(await json("/count?n=13&path=/r"), [...within(12), TOO_MANY_SUBREQUESTS]);
  });

  test("overlapping invocations each get their own budget", async () => {
    const runs = await Promise.all([0, 1, 2].map(() => json("/count?n=3&path=/slow")));
    for (const run of runs) assert.deepEqual(run, [200, 200, 200]);
    // Once overlapping subrequests were seen, each new invocation is tracked exactly.
    const again = await Promise.all([0, 1, 2].map(() => json("/count?n=27")));
    for (const run of again) assert.deepEqual(run, within(27));
  });

  test("Node's fetch works with Workers' numeric timers (no uncaught timer errors)", () => {
    assert.doesNotMatch(dev.output(), /is not a function/);
  });
});
