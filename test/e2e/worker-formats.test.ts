import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startDev, type DevServer } from "../helpers/dev-server.js";
import { makeProject, removeProject } from "../helpers/project.js";

describe("module-format Worker", () => {
  let dir: string;
  let dev: DevServer;
  before(async () => {
    dir = makeProject({
      "wrangler.toml": `name = "formats"\nmain = "src/index.ts"\ncompatibility_date = "2026-04-01"\n[vars]\nGREETING = "Hi"\nLIMITS = { max = 5 }\n`,
      ".dev.vars": "API_KEY=secret-123\n",
      "src/index.ts": `
        import { env as moduleEnv, WorkerEntrypoint } from "cloudflare:workers";
        import greeting from "./greeting.txt";
        let background = "none";
        export default {
          async fetch(request: Request, env: any, ctx: any): Promise<Response> {
            const url = new URL(request.url);
            if (url.pathname === "/env") return Response.json({ greeting: env.GREETING, limits: env.LIMITS, key: env.API_KEY, same: moduleEnv === env, text: greeting.trim(), entry: typeof WorkerEntrypoint });
            if (url.pathname === "/wait") { ctx.waitUntil(new Promise((r) => setTimeout(() => { background = "done"; r(null); }, 300))); return new Response("sent"); }
            if (url.pathname === "/background") return new Response(background);
            if (url.pathname === "/echo") return new Response(request.body, { status: 201, headers: { "x-method": request.method } });
            if (url.pathname === "/cookies") { const h = new Headers(); h.append("set-cookie", "a=1"); h.append("set-cookie", "b=2"); return new Response(null, { status: 204, headers: h }); }
            if (url.pathname === "/bad") return "not a response" as any;
            throw new Error("no route " + url.pathname);
          },
        };
      `,
      "src/greeting.txt": "text module\n",
    });
    dev = await startDev(dir);
  });
  after(async () => {
    await dev?.stop();
    removeProject(dir);
  });

  test("vars arrive as strings and parsed JSON, secrets from .dev.vars, cloudflare:workers env is the same object", async () => {
    const res = await dev.fetch("/env");
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { greeting: "Hi", limits: { max: 5 }, key: "secret-123", same: true, text: "text module", entry: "function" });
  });

  test("ctx.waitUntil work finishes after the response", async () => {
    assert.equal(await (await dev.fetch("/wait")).text(), "sent");
    assert.equal(await (await dev.fetch("/background")).text(), "none");
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await (await dev.fetch("/background")).text(), "done");
  });

  test("request bodies stream in and out, large ones too", async () => {
    const big = "x".repeat(3 * 1024 * 1024);
    const res = await dev.fetch("/echo", { method: "POST", body: big });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get("x-method"), "POST");
    assert.equal((await res.text()).length, big.length);
  });

  test("several Set-Cookie headers stay separate", async () => {
    const res = await dev.fetch("/cookies");
    assert.equal(res.status, 204);
    assert.deepEqual(res.headers.getSetCookie(), ["a=1", "b=2"]);
  });

  test("a thrown error is a 500 with the user's source location, and the server keeps serving", async () => {
    const res = await dev.fetch("/missing");
    assert.equal(res.status, 500);
    const body = await res.text();
    assert.match(body, /no route \/missing/);
    assert.match(body, /src\/index\.ts:\d+:\d+/);
    assert.match(dev.output(), /Uncaught Error: no route \/missing/);
    assert.equal((await dev.fetch("/env")).status, 200);
  });

  test("a handler that does not return a Response is an error", async () => {
    const res = await dev.fetch("/bad");
    assert.equal(res.status, 500);
    assert.match(await res.text(), /did not resolve to 'Response'/);
  });
});

describe("service-worker-format Worker", () => {
  let dir: string;
  let dev: DevServer;
  before(async () => {
    dir = makeProject({
      "wrangler.toml": `name = "sw"\nmain = "worker.js"\ncompatibility_date = "2026-04-01"\n[vars]\nTITLE = "SW"\nCONFIG = { level = 2 }\n`,
      ".dev.vars": "TOKEN=t-1\n",
      "worker.js": `
        let done = false;
        addEventListener("fetch", (event) => {
          const url = new URL(event.request.url);
          if (url.pathname === "/later") { event.waitUntil(new Promise((r) => setTimeout(() => { done = true; r(); }, 200))); return event.respondWith(new Response("ok")); }
          if (url.pathname === "/done") return event.respondWith(new Response(String(done)));
          event.respondWith(Response.json({ title: TITLE, config: CONFIG, token: TOKEN, method: event.request.method }));
        });
        addEventListener("scheduled", (event) => { event.waitUntil(Promise.resolve()); });
      `,
    });
    dev = await startDev(dir);
  });
  after(async () => {
    await dev?.stop();
    removeProject(dir);
  });

  test("bindings are globals and event.respondWith answers", async () => {
    assert.deepEqual(await (await dev.fetch("/")).json(), { title: "SW", config: { level: 2 }, token: "t-1", method: "GET" });
  });

  test("event.waitUntil runs after the response", async () => {
    assert.equal(await (await dev.fetch("/later")).text(), "ok");
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(await (await dev.fetch("/done")).text(), "true");
  });

  test("scheduled listeners run from the local trigger endpoint", async () => {
    const res = await dev.fetch("/cdn-cgi/handler/scheduled?cron=*/5+*+*+*+*");
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "ok");
  });
});
