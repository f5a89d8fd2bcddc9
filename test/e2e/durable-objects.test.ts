import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { startDev } from "../helpers/dev-server.js";
import { makeProject, removeProject } from "../helpers/project.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const counterWorker = {
  "wrangler.toml": [
    `name = "do-e2e"`,
    `main = "index.js"`,
    `compatibility_date = "2026-04-01"`,
    `[[durable_objects.bindings]]`,
    `name = "COUNTER"`,
    `class_name = "Counter"`,
    `[[migrations]]`,
    `tag = "v1"`,
    `new_sqlite_classes = ["Counter"]`,
  ].join("\n"),
  "index.js": `
    import { DurableObject } from "cloudflare:workers";
    export class Counter extends DurableObject {
      async increment() {
        const value = ((await this.ctx.storage.get("n")) ?? 0) + 1;
        await this.ctx.storage.put("n", value);
        return value;
      }
      async value() { return (await this.ctx.storage.get("n")) ?? 0; }
      async arm(delay) { await this.ctx.storage.setAlarm(Date.now() + delay); return this.ctx.storage.getAlarm(); }
      async alarm(info) { await this.ctx.storage.put("fired", { at: Date.now(), retryCount: info.retryCount }); }
      async fired() { return (await this.ctx.storage.get("fired")) ?? null; }
    }
    export default {
      async fetch(request, env) {
        const url = new URL(request.url);
        const stub = env.COUNTER.getByName(url.searchParams.get("name") ?? "main");
        if (url.pathname === "/inc") return new Response(String(await stub.increment()));
        if (url.pathname === "/value") return new Response(String(await stub.value()));
        if (url.pathname === "/arm") return new Response(String(await stub.arm(Number(url.searchParams.get("delay")))));
        if (url.pathname === "/fired") return Response.json(await stub.fired());
        return new Response("not found", { status: 404 });
      },
    };
  `,
};

test("200 concurrent read-modify-write increments to one object end at exactly 200", async () => {
  const dir = makeProject(counterWorker);
  const dev = await startDev(dir);
  try {
    const results = await Promise.all(Array.from({ length: 200 }, () => dev.fetch("/inc").then((r) => r.text())));
    assert.equal(new Set(results).size, 200, "every increment saw a distinct value");
    assert.equal(await (await dev.fetch("/value")).text(), "200");
  } finally {
    await dev.stop();
    removeProject(dir);
  }
});

test("an alarm pending when the server stops fires after a restart", async () => {
  const dir = makeProject(counterWorker);
  const state = path.join(dir, "state");
  const first = await startDev(dir, ["--persist-to", state]);
  let second;
  try {
    const armed = Number(await (await first.fetch("/arm?name=sleeper&delay=1500")).text());
    assert.ok(armed > Date.now());
    await first.stop("SIGKILL");
    second = await startDev(dir, ["--persist-to", state]);
    const deadline = Date.now() + 10_000;
    type Fired = { at: number; retryCount: number } | null;
    let fired: Fired = null;
    while (fired === null && Date.now() < deadline) {
      await sleep(200);
      fired = (await (await second.fetch("/fired?name=sleeper")).json()) as Fired;
    }
    assert.ok(fired, "the alarm fired after the restart");
    assert.ok(fired.at >= armed, "not before its time");
    assert.equal(fired.retryCount, 0);
  } finally {
    await second?.stop();
    removeProject(dir);
  }
});

const definer = {
  "definer/wrangler.toml": [
    `name = "do-definer"`,
    `main = "index.js"`,
    `compatibility_date = "2026-04-01"`,
    `[[migrations]]`,
    `tag = "v1"`,
    `new_classes = ["Ledger"]`,
  ].join("\n"),
  "definer/index.js": `
    import { DurableObject } from "cloudflare:workers";
    export class Ledger extends DurableObject {
      async add(entry) {
        const list = (await this.ctx.storage.get("entries")) ?? [];
        list.push(entry);
        await this.ctx.storage.put("entries", list);
        return { entries: list, name: this.ctx.id.name ?? null };
      }
      async fetch(request) { return new Response("ledger " + new URL(request.url).pathname); }
    }
    export default { fetch() { return new Response("definer"); } };
  `,
};

const user = {
  "user/wrangler.toml": [
    `name = "do-user"`,
    `main = "index.js"`,
    `compatibility_date = "2026-04-01"`,
    `[[durable_objects.bindings]]`,
    `name = "LEDGER"`,
    `class_name = "Ledger"`,
    `script_name = "do-definer"`,
  ].join("\n"),
  "user/index.js": `
    export default {
      async fetch(request, env) {
        const stub = env.LEDGER.getByName("books");
        const url = new URL(request.url);
        if (url.pathname === "/add") return Response.json(await stub.add(url.searchParams.get("e")));
        if (url.pathname === "/fetch") return stub.fetch("https://ledger/page");
        return new Response("user");
      },
    };
  `,
};

test("a Durable Object class defined in another Worker of the same session (script_name)", async () => {
  const dir = makeProject({ ...definer, ...user });
  const dev = await startDev(dir, ["-c", "user/wrangler.toml", "-c", "definer/wrangler.toml"], { env: { HEARTH_REGISTRY_DIR: path.join(dir, "registry") } });
  try {
    assert.deepEqual(await (await dev.fetch("/add?e=one")).json(), { entries: ["one"], name: "books" });
    assert.deepEqual(await (await dev.fetch("/add?e=two")).json(), { entries: ["one", "two"], name: "books" });
    assert.equal(await (await dev.fetch("/fetch")).text(), "ledger /page");
  } finally {
    await dev.stop();
    removeProject(dir);
  }
});

test("a Durable Object class defined in a Worker running in another process", async () => {
  const dir = makeProject({ ...definer, ...user });
  const registry = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-registry-"));
  const env = { HEARTH_REGISTRY_DIR: registry };
  const definerDev = await startDev(path.join(dir, "definer"), [], { env });
  const userDev = await startDev(path.join(dir, "user"), [], { env });
  try {
    assert.deepEqual(await (await userDev.fetch("/add?e=x")).json(), { entries: ["x"], name: "books" });
    assert.equal(await (await userDev.fetch("/fetch")).text(), "ledger /page");
  } finally {
    await userDev.stop();
    await definerDev.stop();
    removeProject(dir);
    fs.rmSync(registry, { recursive: true, force: true });
  }
});
