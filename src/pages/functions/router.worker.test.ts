import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createPagesRouter, type EventContext, type PagesFunction } from "./router.worker.js";

const ctx = { waitUntil: () => {}, passThroughOnException: () => {} };

function router(routes: { routePath: string; mountPath?: string; method?: string; middlewares?: PagesFunction[]; modules?: PagesFunction[] }[]) {
  return createPagesRouter(routes.map((r) => ({ mountPath: r.routePath, method: "", middlewares: [], modules: [], ...r })));
}

const assetsEnv = (seen: string[] = []) => ({
  ASSETS: {
    fetch: async (input: Request) => {
      seen.push(new URL(input.url).pathname);
      return new Response(`asset ${new URL(input.url).pathname}`, { status: 404 });
    },
  },
});

describe("Pages Functions router", () => {
  test("middleware runs outermost first and shares context.data; next() returns the downstream response", async () => {
    const trail: string[] = [];
    const mw = (name: string): PagesFunction => async (c) => {
      trail.push(name);
      (c.data.trail = (c.data.trail as string[] | undefined) ?? []) && (c.data.trail as string[]).push(name);
      const res = await c.next();
      res.headers.append("x-trail", name);
      return res;
    };
    const r = router([
      { routePath: "/admin/reports/:id", mountPath: "/admin/reports", modules: [(c) => Response.json({ id: c.params.id, data: c.data, path: c.functionPath })] },
      { routePath: "/admin", middlewares: [mw("admin")] },
      { routePath: "/", middlewares: [mw("root")] },
    ]);
    const res = await r.fetch(new Request("http://h/admin/reports/q3"), assetsEnv(), ctx);
    assert.deepEqual(trail, ["root", "admin"]);
    assert.deepEqual(await res.json(), { id: "q3", data: { trail: ["root", "admin"] }, path: "/admin/reports/q3" });
    assert.equal(res.headers.get("x-trail"), "admin, root");
  });

  test("after the last handler, next() serves the asset; with no matching route the assets answer", async () => {
    const seen: string[] = [];
    const r = router([{ routePath: "/", middlewares: [(c) => c.next()] }]);
    const res = await r.fetch(new Request("http://h/page"), assetsEnv(seen), ctx);
    assert.equal(await res.text(), "asset /page");
    assert.deepEqual(seen, ["/page"]);
  });

  test("next(input, init) changes the request for the rest of the chain", async () => {
    const r = router([
      { routePath: "/", middlewares: [(c) => c.next("/rewritten?x=1", { headers: { "x-r": "1" } })] },
      { routePath: "/rewritten", modules: [(c) => new Response(`${new URL(c.request.url).pathname} ${c.request.headers.get("x-r")}`)] },
    ]);
    // The chain was chosen for the original path: /rewritten's handler does not run for /start.
    const res = await r.fetch(new Request("http://h/start"), assetsEnv(), ctx);
    assert.equal(await res.text(), "asset /rewritten");
  });

  test("method-specific handlers answer only their method; HEAD is not GET", async () => {
    const r = router([{ routePath: "/item", method: "GET", modules: [() => new Response("get")] }]);
    assert.equal(await (await r.fetch(new Request("http://h/item"), assetsEnv(), ctx)).text(), "get");
    assert.equal((await r.fetch(new Request("http://h/item", { method: "HEAD" }), assetsEnv(), ctx)).status, 404);
  });

  test("an array export runs in order, chained by next()", async () => {
    const r = router([{ routePath: "/", modules: [[(c: EventContext) => c.next(), () => new Response("second")] as unknown as PagesFunction] }]);
    assert.equal(await (await r.fetch(new Request("http://h/"), assetsEnv(), ctx)).text(), "second");
  });

  test("passThroughOnException() makes a throw fall through to the assets; without it the error propagates", async () => {
    const pass = router([{ routePath: "/", middlewares: [(c) => (c.passThroughOnException(), c.next())] }, { routePath: "/boom", modules: [() => { throw new Error("boom"); }] }]);
    assert.equal(await (await pass.fetch(new Request("http://h/boom"), assetsEnv(), ctx)).text(), "asset /boom");
    const strict = router([{ routePath: "/boom", modules: [() => { throw new Error("boom"); }] }]);
    await assert.rejects(strict.fetch(new Request("http://h/boom"), assetsEnv(), ctx), /boom/);
  });

  test("a handler must return a Response; context.data must stay an object", async () => {
    const bad = router([{ routePath: "/", modules: [(() => "text") as unknown as PagesFunction] }]);
    await assert.rejects(bad.fetch(new Request("http://h/"), assetsEnv(), ctx), /Your Pages function should return a Response/);
    const data = router([{ routePath: "/", modules: [(c) => { (c as { data: unknown }).data = 5; return new Response(); }] }]);
    await assert.rejects(data.fetch(new Request("http://h/"), assetsEnv(), ctx), /context.data must be an object/);
  });
});
