import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { startDev, type DevServer } from "../helpers/dev-server.js";
import { makeProject, removeProject } from "../helpers/project.js";

const backend = {
  "backend/wrangler.toml": `name = "e2e-backend"\nmain = "index.js"\ncompatibility_date = "2026-04-01"\n[vars]\nWHO = "backend"\n`,
  "backend/index.js": `
    import { WorkerEntrypoint } from "cloudflare:workers";
    export class Admin extends WorkerEntrypoint {
      secret() { return "admin of " + this.env.WHO + " for " + this.ctx.props.team; }
    }
    export default class extends WorkerEntrypoint {
      async fetch(request) {
        const body = request.method === "POST" ? await request.text() : "";
        return new Response("backend saw " + request.method + " " + new URL(request.url).pathname + " " + body, { headers: { "x-from": "backend" } });
      }
      add(a, b) { return a + b; }
      echo(value) { return value; }
      get version() { return "v1"; }
      fail() { const e = new RangeError("out of range"); e.code = 7; throw e; }
      stream() { return "not a stream"; }
    }
  `,
};

const gateway = {
  "gateway/wrangler.toml": [
    `name = "e2e-gateway"`,
    `main = "index.js"`,
    `compatibility_date = "2026-04-01"`,
    `services = [`,
    `  { binding = "BACKEND", service = "e2e-backend" },`,
    `  { binding = "ADMIN", service = "e2e-backend", entrypoint = "Admin", props = { team = "blue" } },`,
    `  { binding = "GHOST", service = "e2e-nobody" },`,
    `]`,
  ].join("\n"),
  "gateway/index.js": `
    async function outcome(fn) { try { return { value: await fn() }; } catch (e) { return { name: e.name, message: e.message }; } }
    export default {
      async fetch(request, env) {
        const url = new URL(request.url);
        if (url.pathname === "/fetch") {
          const res = await env.BACKEND.fetch("http://backend/hello", { method: "POST", body: "payload" });
          return new Response(res.status + " " + res.headers.get("x-from") + " " + (await res.text()));
        }
        if (url.pathname === "/rpc") {
          const bigint = await outcome(() => env.BACKEND.echo(2n ** 70n));
          return Response.json({
            add: await outcome(() => env.BACKEND.add(2, 3)),
            echo: await outcome(() => env.BACKEND.echo({ when: new Date(0), set: new Set([1, 2]) }).then((v) => ({ when: v.when.toISOString(), set: [...v.set] }))),
            bigint: String(bigint.value === 2n ** 70n),
            version: await outcome(() => env.BACKEND.version),
            fail: await outcome(() => env.BACKEND.fail()),
            missing: await outcome(() => env.BACKEND.nothing()),
            admin: await outcome(() => env.ADMIN.secret()),
          }, { headers: { "content-type": "application/json" } });
        }
        if (url.pathname === "/ghost") {
          const res = await env.GHOST.fetch("http://ghost/");
          return Response.json({ status: res.status, text: await res.text(), rpc: await outcome(() => env.GHOST.anything()) });
        }
        return new Response("gateway", { status: 404 });
      },
    };
  `,
};

function expectedRpc() {
  return {
    add: { value: 5 },
    echo: { value: { when: "1970-01-01T00:00:00.000Z", set: [1, 2] } },
    bigint: "true",
    version: { value: "v1" },
    fail: { name: "RangeError", message: "out of range" },
    missing: { name: "TypeError", message: 'The RPC receiver does not implement the method "nothing".' },
    admin: { value: "admin of backend for blue" },
  };
}

describe("service bindings between Workers of one session (-c -c)", () => {
  let dir: string;
  let dev: DevServer;
  before(async () => {
    dir = makeProject({ ...backend, ...gateway });
    dev = await startDev(dir, ["-c", "gateway/wrangler.toml", "-c", "backend/wrangler.toml"], { env: { HEARTH_REGISTRY_DIR: path.join(dir, "registry") } });
  });
  after(async () => {
    await dev?.stop();
    removeProject(dir);
  });

  test("fetch reaches the other Worker's fetch handler with method, path and body", async () => {
    assert.equal(await (await dev.fetch("/fetch")).text(), "200 backend backend saw POST /hello payload");
  });

  test("RPC: results are structured-cloned, getters read, errors keep name and message, props reach ctx.props", async () => {
    assert.deepEqual(await (await dev.fetch("/rpc")).json(), expectedRpc());
  });

  test("a binding to a Worker that is not running answers clearly", async () => {
    const json = (await (await dev.fetch("/ghost")).json()) as { status: number; text: string; rpc: { message: string } };
    assert.equal(json.status, 503);
    assert.match(json.text, /Couldn't find a local dev session for the "default" entrypoint of service "e2e-nobody"/);
    assert.match(json.rpc.message, /e2e-nobody/);
  });
});

test("Workers in two separate hearth processes find each other through the registry", async () => {
  const dir = makeProject({ ...backend, ...gateway });
  const registry = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-registry-"));
  const env = { HEARTH_REGISTRY_DIR: registry };
  const gatewayDev = await startDev(path.join(dir, "gateway"), [], { env });
  let backendDev: DevServer | undefined;
  try {
    const before = await (await gatewayDev.fetch("/fetch")).text();
    assert.match(before, /^503 null Couldn't find a local dev session/);

    backendDev = await startDev(path.join(dir, "backend"), [], { env });
    assert.equal(await (await gatewayDev.fetch("/fetch")).text(), "200 backend backend saw POST /hello payload");
    const rpc = (await (await gatewayDev.fetch("/rpc")).json()) as ReturnType<typeof expectedRpc>;
    assert.deepEqual(rpc, expectedRpc());

    await backendDev.stop();
    backendDev = undefined;
    assert.match(await (await gatewayDev.fetch("/fetch")).text(), /^503 /);
  } finally {
    await backendDev?.stop();
    await gatewayDev.stop();
    removeProject(dir);
    fs.rmSync(registry, { recursive: true, force: true });
  }
});

test("a Pages project binds with --service to a Worker running in another process", async () => {
  const dir = makeProject({
    ...backend,
    "site/public/index.html": "<p>home</p>\n",
    "site/functions/call.js": `export async function onRequest({ env }) {
      const res = await env.SVC.fetch("http://backend/from-pages");
      return Response.json({ text: await res.text(), sum: await env.SVC.add(20, 22), admin: await env.ADMIN.secret() });
    }`,
  });
  const registry = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-registry-"));
  const env = { HEARTH_REGISTRY_DIR: registry };
  const backendDev = await startDev(path.join(dir, "backend"), [], { env });
  const pages = await startDev(
    path.join(dir, "site"),
    ["public", "--compatibility-date=2026-04-01", "--service", "SVC=e2e-backend", "--service", "ADMIN=e2e-backend#Admin"],
    { env, command: ["pages", "dev"] },
  );
  try {
    assert.deepEqual(await (await pages.fetch("/call")).json(), {
      text: "backend saw GET /from-pages ",
      sum: 42,
      admin: "admin of backend for undefined",
    });
  } finally {
    await pages.stop();
    await backendDev.stop();
    removeProject(dir);
    fs.rmSync(registry, { recursive: true, force: true });
  }
});
