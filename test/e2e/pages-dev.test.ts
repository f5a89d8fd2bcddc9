import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { HEARTH_BIN, startDev, type DevServer } from "../helpers/dev-server.js";
import { makeProject, removeProject } from "../helpers/project.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(100);
  }
}

/** A GET with the path sent byte for byte (fetch would normalise `..` away). */
function rawGet(port: number, rawPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path: rawPath }, (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on("error", reject);
  });
}

describe("hearth pages dev: Functions, assets and bindings", () => {
  let dir: string;
  let dev: DevServer;
  const text = async (p: string, init?: RequestInit) => (await dev.fetch(p, init)).text();

  before(async () => {
    dir = makeProject({
      "wrangler.toml": 'name = "e2e-site"\npages_build_output_dir = "./public"\ncompatibility_date = "2026-04-01"\n[vars]\nFROM_TOML = "toml"\n',
      ".dev.vars": "SECRET=shh\n",
      "secret.txt": "outside the asset folder",
      "public/index.html": "<p>home</p>\n",
      "public/404.html": "<p>not found</p>\n",
      "public/docs/intro.html": "<p>intro</p>\n",
      "public/_headers": "/docs/*\n  X-Docs: yes\n",
      "public/_redirects": "/old /docs/intro 301\n",
      "functions/_middleware.ts": "export const onRequest: PagesFunction = async (c) => { const r = await c.next(); r.headers.append('x-mw', 'root'); return r; };",
      "functions/api/_middleware.js": "export const onRequest = async (c) => { c.data.seen = 'api-mw'; const r = await c.next(); r.headers.append('x-mw', 'api'); return r; };",
      "functions/api/users/[id].js": "export const onRequestGet = (c) => Response.json({ id: c.params.id, data: c.data, path: c.functionPath });",
      "functions/api/users/me.js": "export const onRequestGet = () => new Response('me');",
      "functions/api/files/[[path]].js": "export const onRequest = (c) => Response.json(c.params);",
      "functions/api/env.js": "export const onRequest = ({ env }) => Response.json({ toml: env.FROM_TOML, secret: env.SECRET, cli: env.FROM_CLI, pages: env.CF_PAGES, kv: typeof env.COUNTS?.get, assets: typeof env.ASSETS?.fetch });",
      "functions/api/count.js": "export const onRequestPost = async ({ env }) => { const n = Number((await env.COUNTS.get('n')) ?? 0) + 1; await env.COUNTS.put('n', String(n)); return new Response(String(n)); };",
      "functions/api/boom.js": "export const onRequest = () => { throw new Error('boom from function'); };",
    });
    dev = await startDev(dir, ["--kv", "COUNTS", "-b", "FROM_CLI=cli=value", "--ai", "AI"], { command: ["pages", "dev"] });
  });
  after(async () => {
    await dev?.stop();
    removeProject(dir);
  });

  test("route precedence, params and middleware order", async () => {
    assert.equal(await text("/api/users/me"), "me");
    const res = await dev.fetch("/api/users/42");
    assert.deepEqual(await res.json(), { id: "42", data: { seen: "api-mw" }, path: "/api/users/42" });
    assert.equal(res.headers.get("x-mw"), "api, root");
    assert.deepEqual(await (await dev.fetch("/api/files/a/b.txt")).json(), { path: ["a", "b.txt"] });
    assert.deepEqual(await (await dev.fetch("/api/files")).json(), {});
  });

  test("assets behind middleware, pretty URLs, _headers, _redirects and the 404 page", async () => {
    const page = await dev.fetch("/docs/intro");
    assert.equal(await page.text(), "<p>intro</p>\n");
    assert.equal(page.headers.get("x-docs"), "yes");
    assert.equal(page.headers.get("x-mw"), "root");
    assert.equal((await dev.fetch("/docs/intro.html")).headers.get("location"), "/docs/intro");
    assert.equal((await dev.fetch("/old")).status, 301);
    const missing = await dev.fetch("/nope");
    assert.equal(missing.status, 404);
    assert.equal(await missing.text(), "<p>not found</p>\n");
  });

  test("vars, secrets, -b, CF_PAGES, ASSETS and a --kv namespace on disk", async () => {
    assert.deepEqual(await (await dev.fetch("/api/env")).json(), { toml: "toml", secret: "shh", cli: "cli=value", pages: "1", kv: "function", assets: "function" });
    assert.equal(await text("/api/count", { method: "POST" }), "1");
    assert.equal(await text("/api/count", { method: "POST" }), "2");
    assert.ok(fs.existsSync(path.join(dir, ".hearth", "state", "kv", "COUNTS")));
  });

  test("an uncaught error is a 500; --ai AI is a binding in the banner (test/e2e/ai.test.ts runs it)", async () => {
    assert.equal((await dev.fetch("/api/boom")).status, 500);
    assert.match(dev.output(), /^env\.AI +.* +AI$/m);
    assert.doesNotMatch(dev.output(), /does not support Workers AI/);
  });

  test("nothing outside the asset folder is served, however the path is written", async () => {
    for (const p of ["/../secret.txt", "/..%2fsecret.txt", "/%2e%2e/secret.txt", "/%2e%2e%2fsecret.txt", "/..%5csecret.txt", "/docs/..%2f..%2fsecret.txt", "//secret.txt", "/%2Fsecret.txt", "/_headers", "/_redirects"]) {
      const res = await rawGet(dev.port, p);
      assert.notEqual(res.body, "outside the asset folder", p);
      assert.ok(!res.body.includes("X-Docs"), p);
    }
  });

  test("adding and removing a Function file changes the routes without a restart", async () => {
    const file = path.join(dir, "functions", "api", "added.js");
    fs.writeFileSync(file, "export const onRequest = () => new Response('added');");
    await until(async () => (await text("/api/added")) === "added");
    fs.rmSync(file);
    await until(async () => (await dev.fetch("/api/added")).status === 404);
    assert.equal(await text("/api/users/me"), "me");
  });
});

describe("hearth pages dev: advanced mode and _routes.json", () => {
  let dir: string;
  let dev: DevServer;
  before(async () => {
    dir = makeProject({
      "public/index.html": "<p>home</p>\n",
      "public/static/a.txt": "static a\n",
      "public/_routes.json": JSON.stringify({ version: 1, include: ["/*"], exclude: ["/static/*"] }),
      "public/_worker.js": `export default {
        async fetch(request, env, ctx) {
          const url = new URL(request.url);
          if (url.pathname === "/fail") { ctx.passThroughOnException(); throw new Error("fails over to assets"); }
          if (url.pathname.startsWith("/static/")) return new Response("worker should not see this");
          const res = await env.ASSETS.fetch(request);
          return new Response(res.body, { status: res.status, headers: { "x-worker": "1", "content-type": res.headers.get("content-type") ?? "" } });
        },
      };`,
      // Ignored in advanced mode.
      "functions/index.js": "export const onRequest = () => new Response('functions should be ignored');",
    });
    dev = await startDev(dir, ["public", "--compatibility-date", "2026-04-01"], { command: ["pages", "dev"] });
  });
  after(async () => {
    await dev?.stop();
    removeProject(dir);
  });

  test("_worker.js handles requests with env.ASSETS; functions/ is ignored", async () => {
    const res = await dev.fetch("/");
    assert.equal(res.headers.get("x-worker"), "1");
    assert.equal(await res.text(), "<p>home</p>\n");
  });

  test("paths excluded by _routes.json go straight to the assets", async () => {
    const res = await dev.fetch("/static/a.txt");
    assert.equal(res.headers.get("x-worker"), null);
    assert.equal(await res.text(), "static a\n");
  });

  test("passThroughOnException() then a throw is answered by the assets", async () => {
    // No asset at /fail and no 404.html: the single-page-app fallback answers.
    const res = await dev.fetch("/fail");
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("x-worker"), null);
    assert.equal(await res.text(), "<p>home</p>\n");
  });
});

describe("hearth pages dev: wrangler's flag rules", () => {
  const run = (args: string[], cwd: string) => spawnSync(process.execPath, [HEARTH_BIN, "pages", "dev", ...args], { cwd, encoding: "utf8", timeout: 20_000 });
  let dir: string;
  before(() => (dir = makeProject({ "public/index.html": "x", "wrangler.toml": 'pages_build_output_dir = "public"\n' })));
  after(() => removeProject(dir));

  test("one --config and any --env are rejected with wrangler's messages", () => {
    const config = run(["-c", "wrangler.toml"], dir);
    assert.equal(config.status, 1);
    assert.match(config.stderr, /Pages does not support custom paths for the Wrangler configuration file/);
    const env = run(["--env", "production"], dir);
    assert.equal(env.status, 1);
    assert.match(env.stderr, /Pages does not support targeting an environment with the --env flag during local development\./);
  });
});
